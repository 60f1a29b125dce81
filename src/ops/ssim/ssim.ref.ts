/** Float64 reference of ssim: the evaluation's SSIM (src/metrics/image.ts), a direct 2D window sum per pixel and channel, zero padding. */
import { ssim64 } from "../../metrics/image.ts"
import type { F64, Reference } from "../contract.ts"
import type { SsimAttrs } from "./spec.ts"

export const ssimReference: Reference<"prediction" | "target", "out" | "loss", SsimAttrs> = {
  forward: ({ prediction, target }, a) => {
    const value = ssim64(prediction.data, target.data, prediction.shape as [number, number, number], a.window, a.sigma)
    const out: F64 = { shape: [], data: Float64Array.of(value) }
    return { out, loss: { shape: [], data: Float64Array.of(1 - value) } }
  }
}
