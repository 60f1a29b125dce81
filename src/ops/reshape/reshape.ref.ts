/** Float64 reference of reshape: the data is unchanged. */
import type { Reference } from "../contract.ts"
import type { ReshapeAttrs } from "./spec.ts"

export const reshapeReference: Reference<"x", "out", ReshapeAttrs> = {
  forward: ({ x }, { to }) => ({ out: { shape: [...to], data: Float64Array.from(x.data) } })
}
