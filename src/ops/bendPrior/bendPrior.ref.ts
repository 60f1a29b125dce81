/** Float64 reference of bendPrior. */
import type { Reference } from "../contract.ts"
import type { BendPriorAttrs } from "./spec.ts"

export const bendPriorReference: Reference<"pose", "out", BendPriorAttrs> = {
  forward: ({ pose }, a) => {
    const [b, j] = pose.shape as [number, number, number]
    let sum = 0
    for (let s = 0; s < b; s++) for (const w of a.entries) sum += Math.exp(w.sign * pose.data[(s * j + w.joint) * 3 + w.axis]!) ** 2
    return { out: { shape: [], data: Float64Array.of(sum / b) } }
  }
}
