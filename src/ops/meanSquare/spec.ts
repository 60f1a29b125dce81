import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const meanSquareSpec = defineOp({
  name: "meanSquare",
  doc: "Mean of squares (the offset, feature and pose-feature regularisers)",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (_attrs: Record<string, never>) => ({ inputs: { x: port(["...S"]) }, outputs: { out: port([]) } })
})
