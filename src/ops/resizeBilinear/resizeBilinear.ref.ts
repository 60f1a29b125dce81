/** Float64 reference of resizeBilinear with half-pixel centres and edge clamping. */
import type { F64, Reference } from "../contract.ts"
import type { ResizeBilinearAttrs } from "./spec.ts"
import { taps } from "./taps.ts"


export const resizeBilinearReference: Reference<"x", "out", ResizeBilinearAttrs> = {
  forward: ({ x }, a) => {
    const [h, w, c] = x.shape as [number, number, number]
    const data = new Float64Array(a.outHeight * a.outWidth * c)
    const at = (y: number, xi: number, k: number) => x.data[(y * w + xi) * c + k] as number
    for (let y = 0; y < a.outHeight; y++) {
      const [y0, y1, fy] = taps(y, h, a.outHeight)
      for (let xo = 0; xo < a.outWidth; xo++) {
        const [x0, x1, fx] = taps(xo, w, a.outWidth)
        for (let k = 0; k < c; k++) {
          const top = at(y0, x0, k) * (1 - fx) + at(y0, x1, k) * fx
          const bottom = at(y1, x0, k) * (1 - fx) + at(y1, x1, k) * fx
          data[(y * a.outWidth + xo) * c + k] = top * (1 - fy) + bottom * fy
        }
      }
    }
    const out: F64 = { shape: [a.outHeight, a.outWidth, c], data }
    return { out }
  }
}
