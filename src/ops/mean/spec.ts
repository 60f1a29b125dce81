import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const meanSpec = defineOp({
  name: "mean",
  doc: "Mean of all elements (the scale regulariser)",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (_attrs: Record<string, never>) => ({ inputs: { x: port(["...S"]) }, outputs: { out: port([]) } })
})
