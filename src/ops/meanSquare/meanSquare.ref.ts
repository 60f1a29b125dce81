/** Float64 reference of meanSquare. */
import type { Reference } from "../contract.ts"

export const meanSquareReference: Reference<"x", "out", Record<string, never>> = {
  forward: ({ x }) => ({ out: { shape: [], data: Float64Array.of(x.data.reduce((s, v) => s + v * v, 0) / x.data.length) } })
}
