/** Float64 reference of l1. */
import type { Reference } from "../contract.ts"

export const l1Reference: Reference<"prediction" | "target", "out", Record<string, never>> = {
  forward: ({ prediction, target }) => {
    let s = 0
    for (let i = 0; i < prediction.data.length; i++) s += Math.abs((prediction.data[i] as number) - (target.data[i] as number))
    return { out: { shape: [], data: Float64Array.of(s / prediction.data.length) } }
  }
}
