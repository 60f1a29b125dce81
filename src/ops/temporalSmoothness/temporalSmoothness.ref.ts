/** Float64 reference of temporalSmoothness. */
import type { Reference } from "../contract.ts"
import type { TemporalSmoothnessAttrs } from "./spec.ts"
import { withinRun } from "./spec.ts"

export const temporalSmoothnessReference: Reference<"x", "out", TemporalSmoothnessAttrs> = {
  forward: ({ x }, a) => {
    const [b, n] = x.shape as [number, number, number]
    const stencil = a.order === 1 ? [-1, 1] : [1, -2, 1]
    let sum = 0, rows = 0
    for (let t = 0; t + a.order < b; t++) {
      if (!withinRun(t, a)) continue
      rows++
      for (let i = 0; i < n * 3; i++) {
        let d = 0
        stencil.forEach((c, k) => (d += c * x.data[(t + k) * n * 3 + i]!))
        sum += d * d
      }
    }
    return { out: { shape: [], data: Float64Array.of(rows > 0 ? sum / (rows * n) : 0) } }
  }
}
