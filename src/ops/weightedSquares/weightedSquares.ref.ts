/** Float64 reference of weightedSquares. */
import type { Reference } from "../contract.ts"

export const weightedSquaresReference: Reference<"x" | "weights", "out", Record<string, never>> = {
  forward: ({ x, weights }) => {
    const b = x.shape[0] as number
    const row = weights.data.length
    let sum = 0
    x.data.forEach((v, i) => (sum += weights.data[i % row]! * v * v))
    return { out: { shape: [], data: Float64Array.of(sum / b) } }
  }
}
