/** The signature shared by ops that compare a prediction with a target of the same shape and return a scalar. */
import type { Signature } from "../dsl/op.ts"
import { port } from "../dsl/shape.ts"

export const comparisonInputs = ["prediction", "target"] as const

export const comparisonSignature = (): Signature<"prediction" | "target", "out"> => ({
  inputs: { prediction: port(["...S"]), target: port(["...S"]) },
  outputs: { out: port([]) }
})
