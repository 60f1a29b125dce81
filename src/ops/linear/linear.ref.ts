/** Float64 reference of linear: out = x · weight + bias. */
import type { F64, Reference } from "../contract.ts"

export const linearReference: Reference<"x" | "weight" | "bias", "out", Record<string, never>> = {
  forward: ({ x, weight, bias }) => {
    const [n, inner] = x.shape as [number, number]
    const o = weight.shape[1] as number
    const data = new Float64Array(n * o)
    for (let r = 0; r < n; r++)
      for (let c = 0; c < o; c++) {
        let s = bias.data[c] as number
        for (let k = 0; k < inner; k++) s += (x.data[r * inner + k] as number) * (weight.data[k * o + c] as number)
        data[r * o + c] = s
      }
    const out: F64 = { shape: [n, o], data }
    return { out }
  }
}
