/**
 * What the skinned viewer computes per frame, shared by the page and the tests: the 24 joint
 * transforms that move canonical points to a pose, T_j = A_j(pose, transl) . A_canonical_j^-1 with
 * A_j = [W_j | p_j - W_j rest_j] (W_j the joint's world rotation down the tree, p_j its posed
 * position + transl), exactly as the avatar graph's bodyForward and composeTransforms; and each
 * Gaussian's 4 strongest skinning weights, renormalised (Spark skins with at most 4 bones).
 */
import { mul33, mulVec33 } from "../math/matrix.ts"
import { axisAngleToMatrix } from "../math/rotation.ts"

/** [J * 16] row-major rigid transforms canonical -> posed. */
export const jointTransforms = (parents: ReadonlyArray<number>, restJoints: ArrayLike<number>, inverseCanonical: ArrayLike<number>, pose: ArrayLike<number>, transl: ArrayLike<number>): Float64Array => {
  const J = parents.length
  const world: Float64Array[] = []
  const positions: number[][] = []
  const out = new Float64Array(J * 16)
  parents.forEach((p, j) => {
    const local = axisAngleToMatrix(pose, 3 * j)
    const rest = [0, 1, 2].map((c) => restJoints[3 * j + c] as number)
    const w = p < 0 ? local : mul33(world[p] as Float64Array, local)
    const position = p < 0 ? rest.map((v, c) => v + (transl[c] as number)) : mulVec33(world[p] as Float64Array, rest.map((v, c) => v - (restJoints[3 * p + c] as number))).map((v, c) => v + (positions[p]?.[c] as number))
    world.push(w)
    positions.push(position)
    const moved = mulVec33(w, rest)
    const a = [w[0], w[1], w[2], (position[0] as number) - moved[0], w[3], w[4], w[5], (position[1] as number) - moved[1], w[6], w[7], w[8], (position[2] as number) - moved[2]] as number[]
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 4; c++) {
        let sum = c === 3 ? (a[4 * r + 3] as number) : 0
        for (let k = 0; k < 3; k++) sum += (a[4 * r + k] as number) * (inverseCanonical[16 * j + 4 * k + c] as number)
        out[16 * j + 4 * r + c] = sum
      }
    out[16 * j + 15] = 1
  })
  return out
}

/** The 4 largest weights of each row of [N, J] weights (indices and weights summing to 1). */
export const strongestFour = (weights: ArrayLike<number>, jointCount: number): { readonly indices: Uint8Array; readonly weights: Float32Array } => {
  const n = weights.length / jointCount
  const indices = new Uint8Array(4 * n)
  const kept = new Float32Array(4 * n)
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: jointCount }, (_, j) => j).sort((a, b) => (weights[i * jointCount + b] as number) - (weights[i * jointCount + a] as number)).slice(0, 4)
    const total = order.reduce((s, j) => s + (weights[i * jointCount + j] as number), 0)
    order.forEach((j, k) => {
      indices[4 * i + k] = j
      kept[4 * i + k] = total > 0 ? (weights[i * jointCount + j] as number) / total : k === 0 ? 1 : 0
    })
  }
  return { indices, weights: kept }
}

/** Linear blend skinning of canonical points with 4 bones each (the page's skinned mode, on the CPU). */
export const skinPoints = (points: ArrayLike<number>, indices: ArrayLike<number>, weights: ArrayLike<number>, transforms: ArrayLike<number>): Float64Array => {
  const n = points.length / 3
  const out = new Float64Array(3 * n)
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 4; k++) {
      const w = weights[4 * i + k] as number
      const t = 16 * (indices[4 * i + k] as number)
      for (let r = 0; r < 3; r++)
        out[3 * i + r] = (out[3 * i + r] as number) + w * ((transforms[t + 4 * r] as number) * (points[3 * i] as number) + (transforms[t + 4 * r + 1] as number) * (points[3 * i + 1] as number) + (transforms[t + 4 * r + 2] as number) * (points[3 * i + 2] as number) + (transforms[t + 4 * r + 3] as number))
    }
  return out
}
