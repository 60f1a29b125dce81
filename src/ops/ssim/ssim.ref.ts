/** Float64 reference of ssim: a direct 2D window sum per pixel and channel, zero padding. */
import type { F64, Reference } from "../contract.ts"
import type { SsimAttrs } from "./spec.ts"
import { C1, C2, gaussianWindow } from "./window.ts"

const windowed = (image: Float64Array, h: number, w: number, c: number, k: number, window: Float64Array, f: (v: number) => number, y: number, x: number): number => {
  const half = Math.floor(window.length / 2)
  let s = 0
  for (let i = 0; i < window.length; i++)
    for (let j = 0; j < window.length; j++) {
      const sy = y + i - half
      const sx = x + j - half
      if (sy >= 0 && sx >= 0 && sy < h && sx < w) s += (window[i] as number) * (window[j] as number) * f(image[(sy * w + sx) * c + k] as number)
    }
  return s
}

export const ssimReference: Reference<"prediction" | "target", "out" | "loss", SsimAttrs> = {
  forward: ({ prediction, target }, a) => {
    const [h, w, c] = prediction.shape as [number, number, number]
    const g = gaussianWindow(a.window, a.sigma)
    const product = prediction.data.map((v, i) => v * (target.data[i] as number))
    let total = 0
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          const at = (image: Float64Array, f: (v: number) => number) => windowed(image, h, w, c, k, g, f, y, x)
          const muX = at(prediction.data, (v) => v)
          const muY = at(target.data, (v) => v)
          const sx2 = at(prediction.data, (v) => v * v) - muX * muX
          const sy2 = at(target.data, (v) => v * v) - muY * muY
          const sxy = at(product, (v) => v) - muX * muY
          total += ((2 * muX * muY + C1) * (2 * sxy + C2)) / ((muX * muX + muY * muY + C1) * (sx2 + sy2 + C2))
        }
    const out: F64 = { shape: [], data: Float64Array.of(total / (h * w * c)) }
    return { out, loss: { shape: [], data: Float64Array.of(1 - (out.data[0] as number)) } }
  }
}
