import { defineOp } from "../../dsl/op.ts"
import { comparisonInputs, comparisonSignature } from "../comparison.ts"

export const mseSpec = defineOp({
  name: "mse",
  doc: "Mean squared error",
  inputs: comparisonInputs,
  outputs: ["out"],
  differentiable: comparisonInputs,
  signature: (_attrs: Record<string, never>) => comparisonSignature()
})
