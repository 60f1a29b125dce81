/**
 * The body model's forward pass in float64 on plain arrays (shape blend, joint regression, the
 * kinematic chain, linear blend skinning): the host-side twin of the bodyForward op, used for
 * precomputation (the canonical body), the synthetic data and pose errors, and by the op's test
 * reference. One sample after another, plain loops.
 */
import { axisAngleToMatrix } from "../math/rotation.ts"
import { mul33, mulVec33 } from "../math/matrix.ts"

/** points [B, N, 3] (as a flat array), weights [N, J], transforms [B, J, 4, 4] -> [B, N, 3]. */
export const skin64 = (points: Float64Array, weights: Float64Array, transforms: Float64Array, b: number, n: number, j: number): Float64Array => {
  const out = new Float64Array(b * n * 3)
  const blended = new Float64Array(12)
  for (let s = 0; s < b; s++)
    for (let p = 0; p < n; p++) {
      blended.fill(0)
      for (let k = 0; k < j; k++) {
        const w = weights[p * j + k]!
        for (let e = 0; e < 12; e++) blended[e]! += w * transforms[(s * j + k) * 16 + e]!
      }
      const at = (s * n + p) * 3
      for (let r = 0; r < 3; r++)
        out[at + r] = blended[4 * r]! * points[at]! + blended[4 * r + 1]! * points[at + 1]! + blended[4 * r + 2]! * points[at + 2]! + blended[4 * r + 3]!
    }
  return out
}

export interface BodyForward64 {
  /** [B, V, 3] */
  readonly vertices: Float64Array
  /** [B, J, 3] */
  readonly joints: Float64Array
  /** [B, J, 4, 4] */
  readonly transforms: Float64Array
}

export interface BodyArrays64 {
  readonly vTemplate: Float64Array
  readonly shapeDirs: Float64Array
  readonly jRegressor: Float64Array
  readonly weights: Float64Array
  readonly parents: ReadonlyArray<number>
}

/** betas [B, K], pose [B, J, 3], transl [B, 3] on a body's arrays. */
export const bodyForward64 = (body: BodyArrays64, betas: Float64Array, pose: Float64Array, transl: Float64Array, batch: number): BodyForward64 => {
  const V = body.vTemplate.length / 3
  const J = body.parents.length
  const K = betas.length / batch
  const shaped = new Float64Array(batch * V * 3)
  const joints = new Float64Array(batch * J * 3)
  const transforms = new Float64Array(batch * J * 16)
  for (let s = 0; s < batch; s++) {
    for (let v = 0; v < V * 3; v++) {
      let x = body.vTemplate[v]!
      for (let k = 0; k < K; k++) x += body.shapeDirs[v * K + k]! * betas[s * K + k]!
      shaped[s * V * 3 + v] = x
    }
    const rest = new Float64Array(J * 3)
    for (let j = 0; j < J; j++)
      for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) rest[3 * j + c]! += body.jRegressor[j * V + v]! * shaped[(s * V + v) * 3 + c]!
    const worldR: Float64Array[] = []
    const worldT: Array<[number, number, number]> = []
    body.parents.forEach((p, j) => {
      const local = axisAngleToMatrix(pose, (s * J + j) * 3)
      const restJ = [rest[3 * j]!, rest[3 * j + 1]!, rest[3 * j + 2]!]
      if (p < 0) {
        worldR.push(local)
        worldT.push([restJ[0]!, restJ[1]!, restJ[2]!])
      } else {
        worldR.push(mul33(worldR[p]!, local))
        const d = mulVec33(worldR[p]!, [restJ[0]! - rest[3 * p]!, restJ[1]! - rest[3 * p + 1]!, restJ[2]! - rest[3 * p + 2]!])
        worldT.push([d[0] + worldT[p]![0], d[1] + worldT[p]![1], d[2] + worldT[p]![2]])
      }
      const R = worldR[j]!
      const Rrest = mulVec33(R, restJ)
      for (let c = 0; c < 3; c++) {
        const joint = worldT[j]![c]! + transl[3 * s + c]!
        joints[(s * J + j) * 3 + c] = joint
        const at = (s * J + j) * 16 + 4 * c
        transforms[at] = R[3 * c]!
        transforms[at + 1] = R[3 * c + 1]!
        transforms[at + 2] = R[3 * c + 2]!
        transforms[at + 3] = joint - Rrest[c]!
      }
      transforms[(s * J + j) * 16 + 15] = 1
    })
  }
  return { vertices: skin64(shaped, body.weights, transforms, batch, V, J), joints, transforms }
}

