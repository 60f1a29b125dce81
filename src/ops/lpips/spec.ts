import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"
import type { LpipsWeights } from "../../lpips/alexnet.ts"

export interface LpipsAttrs {
  /** Read from user-supplied files by src/lpips/weights.ts; never substituted. */
  readonly weights: LpipsWeights
}

export const lpipsSpec = defineOp({
  name: "lpips",
  doc: "LPIPS (AlexNet) perceptual distance between two RGB images in [0, 1]",
  inputs: ["prediction", "target"],
  outputs: ["out"],
  differentiable: ["prediction", "target"],
  signature: (_attrs: LpipsAttrs) => ({
    inputs: { prediction: port(["H", "W", 3]), target: port(["H", "W", 3]) },
    outputs: { out: port([]) }
  })
})
