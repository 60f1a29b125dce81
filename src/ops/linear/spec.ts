import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const linearSpec = defineOp({
  name: "linear",
  doc: "Affine map out = x · weight + bias, one row per point",
  inputs: ["x", "weight", "bias"],
  outputs: ["out"],
  differentiable: ["x", "weight", "bias"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { x: port(["N", "I"]), weight: port(["I", "O"]), bias: port(["O"]) },
    outputs: { out: port(["N", "O"]) }
  })
})
