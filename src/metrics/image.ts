/**
 * Image quality in float64 on plain arrays, as evaluation reports it: PSNR and SSIM (Gaussian
 * window, zero padding, the mean over pixels and channels). The psnr and ssim ops' test references
 * are these same functions.
 */
import { C1, C2, gaussianWindow } from "./ssimWindow.ts"

/** 10 log10(peak^2 / mean squared error) over all values. */
export const psnr64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, peak: number): number => {
  let s = 0
  for (let i = 0; i < prediction.length; i++) s += ((prediction[i] as number) - (target[i] as number)) ** 2
  const mse = s / prediction.length
  return 10 * Math.log10((peak * peak) / mse)
}

/**
 * PSNR over the pixels inside a mask: images [H, W, C], mask [H, W] (a pixel counts where the mask is
 * >= 0.5). Scores the person alone, whose pixels a full-frame PSNR dilutes with the background.
 * Infinity for an empty mask or a perfect match.
 */
export const maskedPsnr64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, mask: ArrayLike<number>, peak: number): number => {
  const channels = prediction.length / mask.length
  let s = 0
  let count = 0
  for (let p = 0; p < mask.length; p++) {
    if ((mask[p] as number) < 0.5) continue
    for (let c = 0; c < channels; c++) s += ((prediction[p * channels + c] as number) - (target[p * channels + c] as number)) ** 2
    count += channels
  }
  return count === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((peak * peak) / (s / count))
}

const windowed = (image: ArrayLike<number>, h: number, w: number, c: number, k: number, window: Float64Array, f: (v: number) => number, y: number, x: number): number => {
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

/** Mean SSIM of two [h, w, c] images: a direct 2D window sum per pixel and channel. */
export const ssim64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, [h, w, c]: readonly [number, number, number], window: number, sigma: number): number => {
  const g = gaussianWindow(window, sigma)
  const product = Float64Array.from(prediction, (v, i) => v * (target[i] as number))
  let total = 0
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const at = (image: ArrayLike<number>, f: (v: number) => number) => windowed(image, h, w, c, k, g, f, y, x)
        const muX = at(prediction, (v) => v)
        const muY = at(target, (v) => v)
        const sx2 = at(prediction, (v) => v * v) - muX * muX
        const sy2 = at(target, (v) => v * v) - muY * muY
        const sxy = at(product, (v) => v) - muX * muY
        total += ((2 * muX * muY + C1) * (2 * sxy + C2)) / ((muX * muX + muY * muY + C1) * (sx2 + sy2 + C2))
      }
  return total / (h * w * c)
}
