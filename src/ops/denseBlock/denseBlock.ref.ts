/** Float64 reference of denseBlock: linear, softplus, then batchNorm's reference. */
import { batchNormReference } from "../batchNorm/batchNorm.ref.ts"
import type { OpContext, Reference } from "../contract.ts"
import { linearReference } from "../linear/linear.ref.ts"
import type { DenseBlockAttrs } from "./spec.ts"

type Inputs = "x" | "weight" | "bias" | "runningMean" | "runningVar" | "scale" | "shift"

const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))

export const denseBlockReference: Reference<Inputs, "out" | "batchMean" | "batchVar", DenseBlockAttrs> = {
  forward: ({ x, weight, bias, runningMean, runningVar, scale, shift }, attrs, ctx?: OpContext) => {
    const { out: z } = linearReference.forward({ x, weight, bias }, {})
    const s = { shape: z.shape, data: z.data.map(softplus) }
    return batchNormReference.forward({ x: s, runningMean, runningVar, scale, shift }, attrs, ctx)
  }
}
