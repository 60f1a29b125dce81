import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface SoftSilhouetteAttrs {
  readonly width: number
  readonly height: number
  /** Footprint radius of each point, pixels. */
  readonly radius: number
  /** Peak coverage of one point, in (0, 1). */
  readonly opacity: number
}

export const softSilhouetteSpec = defineOp({
  name: "softSilhouette",
  doc: "Soft silhouette of 2D points splatted with a smooth compact footprint: alpha = 1 - prod(1 - coverage)",
  inputs: ["points"],
  outputs: ["alpha"],
  differentiable: ["points"],
  signature: (a: SoftSilhouetteAttrs) => ({ inputs: { points: port(["B", "N", 2]) }, outputs: { alpha: port(["B", a.height, a.width]) } })
})
