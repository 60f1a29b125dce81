import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const addSpec = defineOp({
  name: "add",
  doc: "Elementwise sum of two tensors of the same shape",
  inputs: ["a", "b"],
  outputs: ["out"],
  differentiable: ["a", "b"],
  signature: (_attrs: Record<string, never>) => ({ inputs: { a: port(["...S"]), b: port(["...S"]) }, outputs: { out: port(["...S"]) } })
})
