/**
 * The canonical pose of GaussianAvatar (as its original code sets it): every joint at
 * rest except the hips spread (left hip +30 deg, right hip -30 deg about z),
 * translation (0, 0.30, 0). The avatar's query points live on the body in
 * this pose; a live frame moves them with transforms A_live . inverse(A_canonical).
 * Plain float64 (a precomputation: shape and canonical pose are fixed).
 */
import type { BodyModel } from "./model.ts"
import { bodyForward64 } from "./forward64.ts"
import { invertRigid } from "../math/matrix.ts"

const HIP_SPREAD = Math.PI / 6

/** [J * 3] axis-angle canonical pose (joint 1 = left hip, joint 2 = right hip). */
export const canonicalPose = (jointCount = 24): Float64Array => {
  const pose = new Float64Array(jointCount * 3)
  pose[1 * 3 + 2] = HIP_SPREAD
  pose[2 * 3 + 2] = -HIP_SPREAD
  return pose
}

export const canonicalTransl: readonly [number, number, number] = [0, 0.3, 0]

export interface CanonicalBody {
  /** [V, 3] vertices of the body in the canonical pose. */
  readonly vertices: Float64Array
  /** [J, 3] */
  readonly joints: Float64Array
  /** [J, 4, 4] transforms from the shaped rest body to the canonical pose. */
  readonly transforms: Float64Array
  /** [J, 4, 4] their inverses: compose A_live . inverseTransforms[j] to skin canonical points. */
  readonly inverseTransforms: Float64Array
}

/** The body with shape `betas` ([K], zeros by default) in the canonical pose. */
export const canonicalBody = (body: BodyModel, betas: Float64Array = new Float64Array(body.shapeCount)): CanonicalBody => {
  const J = body.parents.length
  const out = bodyForward64(
    { vTemplate: body.vTemplate, shapeDirs: body.shapeDirs, jRegressor: body.jRegressor, weights: body.weights, parents: Array.from(body.parents) },
    betas,
    canonicalPose(J),
    Float64Array.from(canonicalTransl),
    1
  )
  const inverseTransforms = new Float64Array(J * 16)
  for (let j = 0; j < J; j++) inverseTransforms.set(invertRigid(out.transforms, 16 * j), 16 * j)
  return { vertices: out.vertices, joints: out.joints, transforms: out.transforms, inverseTransforms }
}
