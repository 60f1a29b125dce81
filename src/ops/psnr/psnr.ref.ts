/** Float64 reference of psnr: the evaluation's PSNR (src/metrics/image.ts). */
import { psnr64 } from "../../metrics/image.ts"
import type { Reference } from "../contract.ts"
import type { PsnrAttrs } from "./spec.ts"

export const psnrReference: Reference<"prediction" | "target", "out", PsnrAttrs> = {
  forward: ({ prediction, target }, { peak }) => ({ out: { shape: [], data: Float64Array.of(psnr64(prediction.data, target.data, peak)) } })
}
