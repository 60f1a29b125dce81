/** Float64 reference of scaleBy. */
import type { Reference } from "../contract.ts"

export const scaleByReference: Reference<"x" | "factor", "out", Record<string, never>> = {
  forward: ({ x, factor }) => ({ out: { shape: x.shape, data: x.data.map((v) => v * (factor.data[0] as number)) } })
}
