import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface DenseBlockAttrs {
  /** Added to the variance; PyTorch's default 1e-5. */
  readonly eps: number
}

export const denseBlockSpec = defineOp({
  name: "denseBlock",
  doc: "The decoder's block: linear, Softplus, BatchNorm (batch statistics in training, running ones in evaluation); its gradient recomputes from the input",
  inputs: ["x", "weight", "bias", "runningMean", "runningVar", "scale", "shift"],
  outputs: ["out", "batchMean", "batchVar"],
  differentiable: ["x", "weight", "bias", "scale", "shift"],
  signature: (_attrs: DenseBlockAttrs) => ({
    inputs: { x: port(["N", "I"]), weight: port(["I", "O"]), bias: port(["O"]), runningMean: port(["O"]), runningVar: port(["O"]), scale: port(["O"]), shift: port(["O"]) },
    outputs: { out: port(["N", "O"]), batchMean: port(["O"]), batchVar: port(["O"]) }
  })
})
