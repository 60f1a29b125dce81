import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const transformPointsSpec = defineOp({
  name: "transformPoints",
  doc: "Points moved by a 4x4 rigid (or affine) transform, e.g. world to camera",
  inputs: ["points", "matrix"],
  outputs: ["out"],
  differentiable: ["points", "matrix"],
  signature: (_attrs: Record<string, never>) => ({ inputs: { points: port(["...S", 3]), matrix: port([4, 4]) }, outputs: { out: port(["...S", 3]) } })
})
