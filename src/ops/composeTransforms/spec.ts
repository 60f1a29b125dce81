import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export const composeTransformsSpec = defineOp({
  name: "composeTransforms",
  doc: "Per joint, a live transform times a fixed one (A_live · A_canonical⁻¹ in GaussianAvatar)",
  inputs: ["live", "fixed"],
  outputs: ["out"],
  differentiable: ["live", "fixed"],
  signature: (_attrs: Record<string, never>) => ({
    inputs: { live: port(["B", "J", 4, 4]), fixed: port(["J", 4, 4]) },
    outputs: { out: port(["B", "J", 4, 4]) }
  })
})
