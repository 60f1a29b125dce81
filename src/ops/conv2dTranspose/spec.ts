import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"
import type { Conv2dAttrs } from "../conv2d/spec.ts"

/**
 * The attributes of conv2d (kernel, channels, stride, padding, input height and width);
 * "same": output size = input size * stride, "valid": (size - 1) * stride + kernel.
 */
export type Conv2dTransposeAttrs = Conv2dAttrs

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
