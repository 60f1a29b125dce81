/** Float64 reference of mse. */
import type { Reference } from "../contract.ts"

export const mseReference: Reference<"prediction" | "target", "out", Record<string, never>> = {
  forward: ({ prediction, target }) => {
    let s = 0
    for (let i = 0; i < prediction.data.length; i++) s += ((prediction.data[i] as number) - (target.data[i] as number)) ** 2
    return { out: { shape: [], data: Float64Array.of(s / prediction.data.length) } }
  }
}
