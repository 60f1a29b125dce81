/** Float64 reference of add. */
import type { Reference } from "../contract.ts"

export const addReference: Reference<"a" | "b", "out", Record<string, never>> = {
  forward: ({ a, b }) => ({ out: { shape: a.shape, data: a.data.map((v, i) => v + (b.data[i] as number)) } })
}
