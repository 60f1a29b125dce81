/** Float64 reference of mean. */
import type { Reference } from "../contract.ts"

export const meanReference: Reference<"x", "out", Record<string, never>> = {
  forward: ({ x }) => ({ out: { shape: [], data: Float64Array.of(x.data.reduce((s, v) => s + v, 0) / x.data.length) } })
}
