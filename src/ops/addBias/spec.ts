import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const addBiasSpec = defineOp({
  name: "addBias",
  doc: "Adds a per-channel bias to every row",
  inputs: ["x", "bias"],
  outputs: ["out"],
  differentiable: ["x", "bias"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { x: port(["N", "C"]), bias: port(["C"]) },
    outputs: { out: port(["N", "C"]) }
  })
})
