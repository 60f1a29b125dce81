/** Float64 reference of psnr. */
import type { Reference } from "../contract.ts"
import type { PsnrAttrs } from "./spec.ts"

export const psnrReference: Reference<"prediction" | "target", "out", PsnrAttrs> = {
  forward: ({ prediction, target }, { peak }) => {
    let s = 0
    for (let i = 0; i < prediction.data.length; i++) s += ((prediction.data[i] as number) - (target.data[i] as number)) ** 2
    const mse = s / prediction.data.length
    return { out: { shape: [], data: Float64Array.of(10 * Math.log10((peak * peak) / mse)) } }
  }
}
