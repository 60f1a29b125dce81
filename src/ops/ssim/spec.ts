import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface SsimAttrs {
  /** Side of the Gaussian window; 11 in the field. */
  readonly window: number
  /** Standard deviation of the window in pixels; 1.5 in the field. */
  readonly sigma: number
}

export const ssimDefaults: SsimAttrs = { window: 11, sigma: 1.5 }

export const ssimSpec = defineOp({
  name: "ssim",
  doc: "Structural similarity (Gaussian window, zero padding) and 1 - SSIM as a loss",
  inputs: ["prediction", "target"],
  outputs: ["out", "loss"],
  differentiable: ["prediction", "target"],
  signature: (_attrs: SsimAttrs) => ({
    inputs: { prediction: port(["H", "W", "C"]), target: port(["H", "W", "C"]) },
    outputs: { out: port([]), loss: port([]) }
  })
})
