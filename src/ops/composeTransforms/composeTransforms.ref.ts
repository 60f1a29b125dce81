/** Float64 reference of composeTransforms. */
import type { Reference } from "../contract.ts"

export const composeTransformsReference: Reference<"live" | "fixed", "out", Record<string, never>> = {
  forward: ({ live, fixed }) => {
    const [b, j] = live.shape as [number, number]
    const out = new Float64Array(b * j * 16)
    for (let n = 0; n < b * j; n++) {
      const f = (n % j) * 16
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) {
          let s = 0
          for (let k = 0; k < 4; k++) s += (live.data[n * 16 + 4 * r + k] as number) * (fixed.data[f + 4 * k + c] as number)
          out[n * 16 + 4 * r + c] = s
        }
    }
    return { out: { shape: live.shape, data: out } }
  }
}
