import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const lbsSpec = defineOp({
  name: "lbs",
  doc: "Linear blend skinning: each point moved by its weight-blended joint transform",
  inputs: ["points", "weights", "transforms"],
  outputs: ["out"],
  differentiable: ["points", "transforms"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { points: port(["B", "N", 3]), weights: port(["N", "J"]), transforms: port(["B", "J", 4, 4]) },
    outputs: { out: port(["B", "N", 3]) }
  })
})
