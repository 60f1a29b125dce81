import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const mseSpec = defineOp({
  name: "mse",
  doc: "Mean squared error",
  inputs: ["prediction", "target"],
  outputs: ["out"],
  differentiable: ["prediction", "target"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { prediction: port(["...S"]), target: port(["...S"]) },
    outputs: { out: port([]) }
  })
})
