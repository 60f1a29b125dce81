import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

/** Added to each bone's squared length before its square root (m^2): keeps a zero-length bone finite. */
export const BONE_EPSILON = 1e-8

export interface BoneDirectionsAttrs {
  /** The K bones as [from joint, to joint] among the J joints. */
  readonly bones: ReadonlyArray<readonly [number, number]>
}

export const boneDirectionsSpec = defineOp({
  name: "boneDirections",
  doc: "Confidence-weighted squared distance between the unit directions of chosen bones and target unit directions",
  inputs: ["joints", "targets", "confidence"],
  outputs: ["out"],
  differentiable: ["joints"],
  signature: (a: BoneDirectionsAttrs) => ({
    inputs: { joints: port(["B", "J", 3]), targets: port(["B", a.bones.length, 3]), confidence: port(["B", a.bones.length]) },
    outputs: { out: port([]) }
  })
})
