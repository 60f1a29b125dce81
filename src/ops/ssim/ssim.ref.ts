/**
 * Float64 reference of ssim: a direct 2D window sum per pixel and channel (zero padding) over the
 * whole image, nothing skipped: the kernels (cropped, separable) and the evaluation's ssim64 are
 * tested against it.
 */
import { C1, C2, gaussianWindow } from "../../metrics/ssimWindow.ts"
import type { F64, Reference } from "../contract.ts"
import type { SsimAttrs } from "./spec.ts"

const windowed = (image: ArrayLike<number>, [h, w, c]: readonly [number, number, number], k: number, window: Float64Array, f: (v: number) => number, y: number, x: number): number => {
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

/** Mean SSIM of two [h, w, c] images by direct window sums. */
export const ssimDirect64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, shape: readonly [number, number, number], window: number, sigma: number): number => {
  const [h, w, c] = shape
  const g = gaussianWindow(window, sigma)
  const product = Float64Array.from(prediction, (v, i) => v * (target[i] as number))
  let total = 0
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const at = (image: ArrayLike<number>, f: (v: number) => number) => windowed(image, shape, k, g, f, y, x)
        const muX = at(prediction, (v) => v)
        const muY = at(target, (v) => v)
        const sx2 = at(prediction, (v) => v * v) - muX * muX
        const sy2 = at(target, (v) => v * v) - muY * muY
        const sxy = at(product, (v) => v) - muX * muY
        total += ((2 * muX * muY + C1) * (2 * sxy + C2)) / ((muX * muX + muY * muY + C1) * (sx2 + sy2 + C2))
      }
  return total / (h * w * c)
}

export const ssimReference: Reference<"prediction" | "target", "out" | "loss", SsimAttrs> = {
  forward: ({ prediction, target }, a) => {
    const value = ssimDirect64(prediction.data, target.data, prediction.shape as [number, number, number], a.window, a.sigma)
    const out: F64 = { shape: [], data: Float64Array.of(value) }
    return { out, loss: { shape: [], data: Float64Array.of(1 - value) } }
  }
}
