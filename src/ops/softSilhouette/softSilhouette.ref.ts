/** Float64 reference of softSilhouette: every pixel against every point. */
import type { Reference } from "../contract.ts"
import { coverage } from "./footprint.ts"
import type { SoftSilhouetteAttrs } from "./spec.ts"

export const softSilhouetteReference: Reference<"points", "alpha", SoftSilhouetteAttrs> = {
  forward: ({ points }, a) => {
    const [b, n] = points.shape as [number, number, number]
    const { width: w, height: h } = a
    const alpha = new Float64Array(b * h * w)
    for (let s = 0; s < b; s++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let t = 1
          for (let i = 0; i < n; i++) t *= 1 - coverage((x - points.data[(s * n + i) * 2]!) ** 2 + (y - points.data[(s * n + i) * 2 + 1]!) ** 2, a.radius * a.radius, a.opacity)
          alpha[(s * h + y) * w + x] = 1 - t
        }
    return { alpha: { shape: [b, h, w], data: alpha } }
  }
}
