import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const weightedSquaresSpec = defineOp({
  name: "weightedSquares",
  doc: "Weighted sum of squares per row, averaged over the rows: a pull of chosen numbers towards zero",
  inputs: ["x", "weights"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (_attrs: Record<string, never>) => ({ inputs: { x: port(["B", "...S"]), weights: port(["...S"]) }, outputs: { out: port([]) } })
})
