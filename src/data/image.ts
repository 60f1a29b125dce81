/**
 * Pixel work for dataset samples: composite a frame onto a white background
 * through its mask (as the original GaussianAvatar loader does) and box-downscale
 * by an integer factor. Plain typed arrays, row-major.
 */
import type { Image8 } from "../io/png.ts"

export interface Frame {
  readonly width: number
  readonly height: number
  /** [H*W*3] in 0..1 */
  readonly rgb: Float32Array
  /** [H*W] foreground weight in 0..1 */
  readonly mask: Float32Array
}

/** PNG masks: a pixel is foreground when its first channel is >= 128 (the original's threshold). */
export const binaryMask = (image: Image8): Float32Array => {
  const n = image.width * image.height
  const mask = new Float32Array(n)
  for (let i = 0; i < n; i++) mask[i] = (image.data[i * image.channels] as number) >= 128 ? 1 : 0
  return mask
}

/** image * mask + (1 - mask) * white, in 0..1. */
export const compositeOnWhite = (image: Image8, mask: Float32Array): Frame => {
  const n = image.width * image.height
  const rgb = new Float32Array(n * 3)
  for (let i = 0; i < n; i++) {
    const m = mask[i] as number
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = ((image.data[i * image.channels + (image.channels === 1 ? 0 : c)] as number) / 255) * m + (1 - m)
  }
  return { width: image.width, height: image.height, rgb, mask }
}

/** Averages factor x factor blocks; a remainder of rows or columns past the last whole block is dropped. */
export const downscale = (frame: Frame, factor: number): Frame => {
  if (factor === 1) return frame
  const width = Math.floor(frame.width / factor)
  const height = Math.floor(frame.height / factor)
  const rgb = new Float32Array(width * height * 3)
  const mask = new Float32Array(width * height)
  const area = factor * factor
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const out = y * width + x
      let r = 0, g = 0, b = 0, m = 0
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const i = (y * factor + dy) * frame.width + (x * factor + dx)
          r += frame.rgb[3 * i] as number
          g += frame.rgb[3 * i + 1] as number
          b += frame.rgb[3 * i + 2] as number
          m += frame.mask[i] as number
        }
      }
      rgb[3 * out] = r / area
      rgb[3 * out + 1] = g / area
      rgb[3 * out + 2] = b / area
      mask[out] = m / area
    }
  }
  return { width, height, rgb, mask }
}

/**
 * Intrinsics for an image downscaled by `factor`, with pixel centres at integer
 * coordinates (OpenCV's convention, used by both source layouts): a centre u maps to (u + 0.5) / factor - 0.5.
 */
export const downscaleIntrinsic = (k: Float64Array, factor: number): Float64Array => {
  const out = Float64Array.from(k)
  out[0] = (k[0] as number) / factor
  out[1] = (k[1] as number) / factor
  out[2] = ((k[2] as number) + 0.5) / factor - 0.5
  out[4] = (k[4] as number) / factor
  out[5] = ((k[5] as number) + 0.5) / factor - 0.5
  return out
}
