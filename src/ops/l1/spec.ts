import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const l1Spec = defineOp({
  name: "l1",
  doc: "Mean absolute error",
  inputs: ["prediction", "target"],
  outputs: ["out"],
  differentiable: ["prediction", "target"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { prediction: port(["...S"]), target: port(["...S"]) },
    outputs: { out: port([]) }
  })
})
