import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface Conv2dAttrs {
  readonly kernel: number
  readonly inChannels: number
  readonly outChannels: number
  readonly stride: number
  /** "same": output size ceil(size / stride), zero padding split as TensorFlow does; "valid": no padding. */
  readonly padding: "same" | "valid"
  /** Input height and width: a strided conv's output size is not a symbol, so the spec computes it from these. */
  readonly height: number
  readonly width: number
}

/** Output size of a conv along one axis. */
export const convOutputSize = (size: number, attrs: Pick<Conv2dAttrs, "kernel" | "stride" | "padding">): number =>
  attrs.padding === "same" ? Math.ceil(size / attrs.stride) : Math.ceil((size - attrs.kernel + 1) / attrs.stride)

export const conv2dSpec = defineOp({
  name: "conv2d",
  doc: "2D cross-correlation of one image, no bias",
  inputs: ["x", "filter"],
  outputs: ["out"],
  differentiable: ["x", "filter"],
  signature: (a: Conv2dAttrs) => ({
    inputs: { x: port([a.height, a.width, a.inChannels]), filter: port([a.kernel, a.kernel, a.inChannels, a.outChannels]) },
    outputs: { out: port([convOutputSize(a.height, a), convOutputSize(a.width, a), a.outChannels]) }
  })
})
