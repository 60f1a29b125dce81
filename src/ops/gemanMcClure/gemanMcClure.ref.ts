/** Float64 reference of gemanMcClure. */
import type { Reference } from "../contract.ts"
import type { GemanMcClureAttrs } from "./spec.ts"

export const gemanMcClureReference: Reference<"predicted" | "targets" | "confidence", "out", GemanMcClureAttrs> = {
  forward: ({ predicted, targets, confidence }, a) => {
    const [b, m] = predicted.shape as [number, number, number]
    const k = a.points.length
    const s2 = a.sigma * a.sigma
    let sum = 0
    for (let s = 0; s < b; s++)
      for (let j = 0; j < k; j++) {
        const p = (s * m + a.points[j]!) * 2
        const t = (s * k + j) * 2
        const r2 = (predicted.data[p]! - targets.data[t]!) ** 2 + (predicted.data[p + 1]! - targets.data[t + 1]!) ** 2
        sum += confidence.data[s * k + j]! ** 2 * ((s2 * r2) / (r2 + s2))
      }
    return { out: { shape: [], data: Float64Array.of(sum / b) } }
  }
}
