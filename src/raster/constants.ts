/**
 * Constants of the rasteriser, as in the field's reference (gsplat classic
 * mode), shared by the Float64 reference, the CPU kernel and the WGSL kernel,
 * and the smooth test-only replacement of the alpha cut-offs.
 */

export const tileSize = 16
/** Minimum alpha a Gaussian must reach at a pixel to be blended. */
export const alphaMin = 1 / 255
export const alphaMax = 0.99
/** A pixel stops when T * (1 - alpha) <= this (that Gaussian is not blended). */
export const transmittanceMin = 1e-4
/** Added to both diagonal entries of the 2D covariance (anti-aliasing low-pass). */
export const dilation = 0.3
export const determinantFloor = 1e-10
/** Footprint radius in standard deviations per axis: ceil(3.33 sqrt(cov_ii)). */
export const radiusSigmas = 3.33
/** The projection Jacobian is evaluated at x/z, y/z clamped to the image plus this fraction of its size per side. */
export const jacobianMargin = 0.15

/** Sharpness of the smooth alpha cap a - softplus(k (a - 0.99)) / k. */
export const smoothCapSharpness = 100

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))
const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)))

/** Smooth cap below 0.99, then a C1 smoothstep fade to exactly 0 at alpha = 1/255 (reached at 2/255). */
export const smoothAlpha = (a: number): number => {
  const capped = a - softplus(smoothCapSharpness * (a - alphaMax)) / smoothCapSharpness
  const t = (capped - alphaMin) / alphaMin
  if (t <= 0) return 0
  if (t >= 1) return capped
  return capped * t * t * (3 - 2 * t)
}

/** d smoothAlpha / d a. */
export const smoothAlphaDerivative = (a: number): number => {
  const capped = a - softplus(smoothCapSharpness * (a - alphaMax)) / smoothCapSharpness
  const dCapped = 1 - sigmoid(smoothCapSharpness * (a - alphaMax))
  const t = (capped - alphaMin) / alphaMin
  if (t <= 0) return 0
  if (t >= 1) return dCapped
  const h = t * t * (3 - 2 * t)
  const dh = (6 * t * (1 - t)) / alphaMin
  return dCapped * (h + capped * dh)
}
