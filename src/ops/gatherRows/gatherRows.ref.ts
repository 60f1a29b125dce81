/** Float64 reference of gatherRows. */
import type { Reference } from "../contract.ts"

export const gatherRowsReference: Reference<"table" | "indices", "out", Record<string, never>> = {
  forward: ({ table, indices }) => {
    const c = table.shape[1] as number
    const data = new Float64Array(indices.data.length * c)
    indices.data.forEach((row, n) => data.set(table.data.subarray(row * c, (row + 1) * c), n * c))
    return { out: { shape: [indices.data.length, c], data } }
  }
}
