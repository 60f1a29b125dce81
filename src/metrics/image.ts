/**
 * Image quality in float64 on plain arrays, as evaluation reports it: PSNR (over the whole frame or
 * inside a mask) and SSIM (Gaussian window, zero padding, the mean over pixels and channels).
 * SSIM blurs separably (the 2D window is the outer product of the 1D one) and only around the
 * pixels where the images differ: every window lying where they agree scores exactly 1 (imageBox.ts).
 */
import type { Box } from "./imageBox.ts"
import { boxArea, differingBox, growBox, isEmptyBox } from "./imageBox.ts"
import { C1, C2, gaussianWindow } from "./ssimWindow.ts"

/** 10 log10(peak^2 / mean squared error) over all values. */
export const psnr64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, peak: number): number => {
  let s = 0
  for (let i = 0; i < prediction.length; i++) s += ((prediction[i] as number) - (target[i] as number)) ** 2
  const mse = s / prediction.length
  return 10 * Math.log10((peak * peak) / mse)
}

/**
 * PSNR over the pixels where mask > 0.5 (mask [h * w], images [h * w * c]): on a plain background
 * the full-frame PSNR is dominated by the easy background and hides blur on the person.
 * NaN when the mask is empty.
 */
export const maskedPsnr64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, mask: ArrayLike<number>, channels: number, peak: number): number => {
  let s = 0
  let count = 0
  for (let p = 0; p < mask.length; p++) {
    if ((mask[p] as number) <= 0.5) continue
    for (let k = 0; k < channels; k++) s += ((prediction[p * channels + k] as number) - (target[p * channels + k] as number)) ** 2
    count += channels
  }
  return count === 0 ? Number.NaN : 10 * Math.log10((peak * peak) / (s / count))
}

/** f of every value of `box` in an image w pixels wide with c channels (f gets the value's index), row by row. */
const crop = (w: number, c: number, box: Box, f: (i: number) => number): Float64Array => {
  const rowLength = (box.x1 - box.x0) * c
  const out = new Float64Array((box.y1 - box.y0) * rowLength)
  for (let y = box.y0; y < box.y1; y++) {
    const from = (y * w + box.x0) * c
    const to = (y - box.y0) * rowLength
    for (let k = 0; k < rowLength; k++) out[to + k] = f(from + k)
  }
  return out
}

/** Zero-padded separable blur of a [rows, rowLength] plane whose pixels hold `step` interleaved channels. */
export const blurPlane64 = (plane: Float64Array, rows: number, rowLength: number, step: number, window: Float64Array): Float64Array => {
  const r = Math.floor(window.length / 2)
  const vertical = new Float64Array(plane.length)
  for (let y = 0; y < rows; y++) {
    const to = y * rowLength
    for (let t = Math.max(0, r - y); t < Math.min(window.length, rows + r - y); t++) {
      const wt = window[t] as number
      const from = (y + t - r) * rowLength
      for (let k = 0; k < rowLength; k++) vertical[to + k] = (vertical[to + k] as number) + wt * (plane[from + k] as number)
    }
  }
  const out = new Float64Array(plane.length)
  for (let y = 0; y < rows; y++) {
    const row = y * rowLength
    for (let k = 0; k < rowLength; k++) {
      let s = 0
      for (let t = 0; t < window.length; t++) {
        const at = k + (t - r) * step
        if (at >= 0 && at < rowLength) s += (window[t] as number) * (vertical[row + at] as number)
      }
      out[row + k] = s
    }
  }
  return out
}

/** Mean SSIM of two [h, w, c] images (Gaussian window of `window` taps, deviation sigma, zero padding). */
export const ssim64 = (prediction: ArrayLike<number>, target: ArrayLike<number>, [h, w, c]: readonly [number, number, number], window: number, sigma: number): number => {
  const g = gaussianWindow(window, sigma)
  const r = Math.floor(window / 2)
  const differ = differingBox(prediction, target, h, w, c)
  if (isEmptyBox(differ)) return 1
  // Map pixels in `scored` see a differing pixel; their windows lie in `region`, whose outside is the image's padding.
  const scored = growBox(differ, r, h, w)
  const region = growBox(differ, 2 * r, h, w)
  const rows = region.y1 - region.y0
  const rowLength = (region.x1 - region.x0) * c
  const blurred = (f: (i: number) => number) => blurPlane64(crop(w, c, region, f), rows, rowLength, c, g)
  const x = (i: number) => prediction[i] as number
  const y = (i: number) => target[i] as number
  const [muX, muY, xx, yy, xy] = [blurred(x), blurred(y), blurred((i) => x(i) * x(i)), blurred((i) => y(i) * y(i)), blurred((i) => x(i) * y(i))]
  let total = (h * w - boxArea(scored)) * c
  for (let py = scored.y0; py < scored.y1; py++) {
    const row = (py - region.y0) * rowLength + (scored.x0 - region.x0) * c
    for (let k = 0; k < (scored.x1 - scored.x0) * c; k++) {
      const q = row + k
      const mx = muX[q] as number
      const my = muY[q] as number
      const sx2 = (xx[q] as number) - mx * mx
      const sy2 = (yy[q] as number) - my * my
      const sxy = (xy[q] as number) - mx * my
      total += ((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sx2 + sy2 + C2))
    }
  }
  return total / (h * w * c)
}
