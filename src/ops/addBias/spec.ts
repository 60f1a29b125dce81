import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const addBiasSpec = defineOp({
  name: "addBias",
  doc: "Adds a per-channel bias along the last axis",
  inputs: ["x", "bias"],
  outputs: ["out"],
  differentiable: ["x", "bias"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { x: port(["...S", "C"]), bias: port(["C"]) },
    outputs: { out: port(["...S", "C"]) }
  })
})
