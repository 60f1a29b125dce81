/** Float64 reference of lbs: per point, blend the joints' 3x4 transforms by the weights and apply. */
import type { F64, Reference } from "../contract.ts"

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

export const lbsReference: Reference<"points" | "weights" | "transforms", "out", Record<string, never>> = {
  forward: ({ points, weights, transforms }) => {
    const [b, n] = points.shape as [number, number, number]
    const j = weights.shape[1] as number
    const out: F64 = { shape: [b, n, 3], data: skin64(points.data, weights.data, transforms.data, b, n, j) }
    return { out }
  }
}
