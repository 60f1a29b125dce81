import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface GemanMcClureAttrs {
  /** For each of the K targets, the index of its point among the M predicted points. */
  readonly points: ReadonlyArray<number>
  /** The robust scale, pixels (SMPLify: 100). */
  readonly sigma: number
}

export const gemanMcClureSpec = defineOp({
  name: "gemanMcClure",
  doc: "Confidence-weighted Geman-McClure distance between chosen predicted 2D points and their targets",
  inputs: ["predicted", "targets", "confidence"],
  outputs: ["out"],
  differentiable: ["predicted"],
  signature: (a: GemanMcClureAttrs) => ({
    inputs: { predicted: port(["B", "M", 2]), targets: port(["B", a.points.length, 2]), confidence: port(["B", a.points.length]) },
    outputs: { out: port([]) }
  })
})
