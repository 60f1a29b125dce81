/** Float64 reference of addBias. */
import type { Reference } from "../contract.ts"

export const addBiasReference: Reference<"x" | "bias", "out", Record<string, never>> = {
  forward: ({ x, bias }) => {
    const c = bias.data.length
    return { out: { shape: x.shape, data: x.data.map((v, i) => v + (bias.data[i % c] as number)) } }
  }
}
