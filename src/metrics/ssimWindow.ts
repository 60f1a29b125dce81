/** The normalised 1D Gaussian window of SSIM; the 2D window is its outer product. */
export const gaussianWindow = (size: number, sigma: number): Float64Array => {
  const half = Math.floor(size / 2)
  const w = Float64Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)))
  const total = w.reduce((a, b) => a + b, 0)
  return w.map((v) => v / total)
}

/** SSIM's stabilising constants for images in [0, 1]. */
export const C1 = 0.01 ** 2
export const C2 = 0.03 ** 2
