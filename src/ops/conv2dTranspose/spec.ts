import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface Conv2dTransposeAttrs {
  readonly kernel: number
  readonly inChannels: number
  readonly outChannels: number
  readonly stride: number
  /** "same": output size = input size * stride; "valid": (size - 1) * stride + kernel. */
  readonly padding: "same" | "valid"
  /** Input height and width. */
  readonly height: number
  readonly width: number
}

export const transposeOutputSize = (size: number, a: Pick<Conv2dTransposeAttrs, "kernel" | "stride" | "padding">): number =>
  a.padding === "same" ? size * a.stride : (size - 1) * a.stride + a.kernel

export const conv2dTransposeSpec = defineOp({
  name: "conv2dTranspose",
  doc: "Transposed 2D convolution (the adjoint of conv2d) of one image, no bias",
  inputs: ["x", "filter"],
  outputs: ["out"],
  differentiable: ["x", "filter"],
  signature: (a: Conv2dTransposeAttrs) => ({
    inputs: { x: port([a.height, a.width, a.inChannels]), filter: port([a.kernel, a.kernel, a.outChannels, a.inChannels]) },
    outputs: { out: port([transposeOutputSize(a.height, a), transposeOutputSize(a.width, a), a.outChannels]) }
  })
})
