import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface BatchNormAttrs {
  /** Added to the variance; PyTorch's default 1e-5. */
  readonly eps: number
}

export const batchNormSpec = defineOp({
  name: "batchNorm",
  doc: "Batch normalisation over all leading positions; batch statistics in training, running ones in evaluation",
  inputs: ["x", "runningMean", "runningVar", "scale", "shift"],
  outputs: ["out", "batchMean", "batchVar"],
  differentiable: ["x", "scale", "shift"],
  signature: (_attrs: BatchNormAttrs) => ({
    inputs: { x: port(["...S", "C"]), runningMean: port(["C"]), runningVar: port(["C"]), scale: port(["C"]), shift: port(["C"]) },
    outputs: { out: port(["...S", "C"]), batchMean: port(["C"]), batchVar: port(["C"]) }
  })
})
