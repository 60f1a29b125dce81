import { defineOp } from "../../dsl/op.ts"
import { comparisonInputs, comparisonSignature } from "../comparison.ts"

export interface PsnrAttrs {
  /** The largest possible value (1 for images in [0, 1]). */
  readonly peak: number
}

export const psnrSpec = defineOp({
  name: "psnr",
  doc: "Peak signal-to-noise ratio in dB",
  inputs: comparisonInputs,
  outputs: ["out"],
  differentiable: comparisonInputs,
  signature: (_attrs: PsnrAttrs) => comparisonSignature()
})
