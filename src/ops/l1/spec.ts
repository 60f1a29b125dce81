import { defineOp } from "../../dsl/op.ts"
import { comparisonInputs, comparisonSignature } from "../comparison.ts"

export const l1Spec = defineOp({
  name: "l1",
  doc: "Mean absolute error",
  inputs: comparisonInputs,
  outputs: ["out"],
  differentiable: comparisonInputs,
  signature: (_attrs: Record<string, never>) => comparisonSignature()
})
