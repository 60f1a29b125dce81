/** Float64 reference of batchNorm (two passes per channel). */
import type { F64, OpContext, Reference } from "../contract.ts"
import type { BatchNormAttrs } from "./spec.ts"

type Inputs = "x" | "runningMean" | "runningVar" | "scale" | "shift"

export const batchNormReference: Reference<Inputs, "out" | "batchMean" | "batchVar", BatchNormAttrs> = {
  forward: ({ x, runningMean, runningVar, scale, shift }, { eps }, ctx?: OpContext) => {
    const c = x.shape[x.shape.length - 1] as number
    const n = x.data.length / c
    const mean = new Float64Array(c)
    const variance = new Float64Array(c)
    for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) mean[k] = (mean[k] as number) + (x.data[i * c + k] as number) / n
    for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) variance[k] = (variance[k] as number) + ((x.data[i * c + k] as number) - (mean[k] as number)) ** 2 / n
    const training = ctx?.mode === "train"
    const m = training ? mean : runningMean.data
    const v = training ? variance : runningVar.data
    const out = x.data.map((value, j) => {
      const k = j % c
      return ((value - (m[k] as number)) / Math.sqrt((v[k] as number) + eps)) * (scale.data[k] as number) + (shift.data[k] as number)
    })
    const batchMean: F64 = { shape: [c], data: mean }
    const batchVar: F64 = { shape: [c], data: variance.map((value) => (value * n) / Math.max(n - 1, 1)) }
    return { out: { shape: x.shape, data: out }, batchMean, batchVar }
  }
}
