/**
 * Fast posing for rendering many frames. The joints' transforms come from
 * bodyForward's Float64 reference run on a stand-in body whose vertices are
 * the shaped rest joints themselves (identity regressor, one-hot weights):
 * its transforms are the body's, without skinning every vertex. Vertices are
 * then skinned with only their non-zero weights (the same blend as lbs's
 * reference, which sums over all joints).
 */
import type { BodyModel } from "../body/model.ts"
import { type BodyArrays64, bodyForward64 } from "../body/forward64.ts"

export interface Skeleton {
  /** A body of J vertices at the shaped rest joints. */
  readonly arrays: BodyArrays64
  readonly jointCount: number
}

export interface SparseWeights {
  /** [V + 1] start of each vertex's entries. */
  readonly start: Int32Array
  readonly joint: Int32Array
  readonly weight: Float64Array
}

/** The skeleton of `body` with its rest surface already shaped (`shapedRest` [V, 3]). */
export const skeletonOf = (body: BodyModel, shapedRest: Float64Array): Skeleton => {
  const J = body.parents.length
  const V = body.vertexCount
  const joints = new Float64Array(J * 3)
  for (let j = 0; j < J; j++) for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) joints[3 * j + c]! += body.jRegressor[j * V + v]! * shapedRest[3 * v + c]!
  const identity = new Float64Array(J * J)
  for (let j = 0; j < J; j++) identity[j * J + j] = 1
  return { arrays: { vTemplate: joints, shapeDirs: new Float64Array(0), jRegressor: identity, weights: identity, parents: Array.from(body.parents) }, jointCount: J }
}

/** [J, 4, 4] transforms and [J, 3] posed joints for pose [J * 3] and translation [3]. */
export const jointTransforms = (skeleton: Skeleton, pose: Float64Array, transl: Float64Array): { transforms: Float64Array; joints: Float64Array } => {
  const out = bodyForward64(skeleton.arrays, new Float64Array(0), pose, transl, 1)
  return { transforms: out.transforms, joints: out.joints }
}

export const sparseWeights = (weights: Float64Array, jointCount: number): SparseWeights => {
  const V = weights.length / jointCount
  const start = new Int32Array(V + 1)
  const joint: number[] = []
  const weight: number[] = []
  for (let v = 0; v < V; v++) {
    for (let j = 0; j < jointCount; j++) {
      const w = weights[v * jointCount + j]!
      if (w !== 0) {
        joint.push(j)
        weight.push(w)
      }
    }
    start[v + 1] = joint.length
  }
  return { start, joint: Int32Array.from(joint), weight: Float64Array.from(weight) }
}

/** points [V, 3] skinned by transforms [J, 4, 4]. */
export const skinSparse = (points: Float64Array, weights: SparseWeights, transforms: Float64Array): Float64Array => {
  const out = new Float64Array(points.length)
  const blended = new Float64Array(12)
  for (let v = 0; v < points.length / 3; v++) {
    blended.fill(0)
    for (let e = weights.start[v]!; e < weights.start[v + 1]!; e++) {
      const w = weights.weight[e]!
      const at = 16 * weights.joint[e]!
      for (let k = 0; k < 12; k++) blended[k]! += w * transforms[at + k]!
    }
    const x = points[3 * v]!, y = points[3 * v + 1]!, z = points[3 * v + 2]!
    for (let r = 0; r < 3; r++) out[3 * v + r] = blended[4 * r]! * x + blended[4 * r + 1]! * y + blended[4 * r + 2]! * z + blended[4 * r + 3]!
  }
  return out
}
