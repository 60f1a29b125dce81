/** Float64 reference of boneDirections. */
import type { Reference } from "../contract.ts"
import type { BoneDirectionsAttrs } from "./spec.ts"
import { BONE_EPSILON } from "./spec.ts"

export const boneDirectionsReference: Reference<"joints" | "targets" | "confidence", "out", BoneDirectionsAttrs> = {
  forward: ({ joints, targets, confidence }, a) => {
    const [b, j] = joints.shape as [number, number, number]
    const k = a.bones.length
    let sum = 0
    for (let s = 0; s < b; s++)
      a.bones.forEach(([from, to], n) => {
        const d = [0, 1, 2].map((c) => joints.data[(s * j + to) * 3 + c]! - joints.data[(s * j + from) * 3 + c]!)
        const length = Math.sqrt(d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2 + BONE_EPSILON)
        const t = (s * k + n) * 3
        const gap = [0, 1, 2].reduce((g, c) => g + (d[c]! / length - targets.data[t + c]!) ** 2, 0)
        sum += confidence.data[s * k + n]! * gap
      })
    return { out: { shape: [], data: Float64Array.of(sum / b) } }
  }
}
