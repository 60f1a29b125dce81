import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface PsnrAttrs {
  /** The largest possible value (1 for images in [0, 1]). */
  readonly peak: number
}

export const psnrSpec = defineOp({
  name: "psnr",
  doc: "Peak signal-to-noise ratio in dB",
  inputs: ["prediction", "target"],
  outputs: ["out"],
  differentiable: ["prediction", "target"],
  signature: (_attrs: PsnrAttrs) => ({
    inputs: { prediction: port(["...S"]), target: port(["...S"]) },
    outputs: { out: port([]) }
  })
})
