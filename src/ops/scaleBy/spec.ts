import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const scaleBySpec = defineOp({
  name: "scaleBy",
  doc: "Every element times one scalar (e.g. offsets times 0.02, scales times a warm-up factor)",
  inputs: ["x", "factor"],
  outputs: ["out"],
  differentiable: ["x", "factor"],
  signature: (_attrs: Record<string, never>) => ({ inputs: { x: port(["...S"]), factor: port([]) }, outputs: { out: port(["...S"]) } })
})
