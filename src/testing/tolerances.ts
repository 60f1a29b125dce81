/**
 * Every numerical tolerance of the test suite, in one table keyed by op (or
 * check family) and backend. A comparison passes when
 * |actual - expected| <= abs + rel * scale, where scale is |expected| for
 * forward values and |g|·|t| (Cauchy-Schwarz bound) for directional VJP checks.
 */
export type ToleranceBackend = "cpu" | "wasm" | "webgpu"

export interface Tolerance {
  readonly abs: number
  readonly rel: number
}

export interface OpTolerances {
  /** Kernel (float32) output vs Float64 reference. */
  readonly forward: Tolerance
  /** Kernel vector-Jacobian product vs central differences of the reference. */
  readonly vjp: Tolerance
  /** Relative finite-difference step (times max(1, |x|)). */
  readonly fdStep: number
}

const float32Default: OpTolerances = { forward: { abs: 1e-5, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 2e-3 }, fdStep: 1e-5 }

/** A row whose cpu and wasm entries agree (both run float32 kernels on the CPU); webgpu defaults to the same. */
const row = <T extends OpTolerances>(cpu: T, webgpu: T = cpu): { readonly cpu: T; readonly wasm: T; readonly webgpu: T } => ({ cpu, wasm: cpu, webgpu })

const tol = (forwardAbs: number, forwardRel: number, vjpAbs: number, vjpRel: number): OpTolerances => ({
  forward: { abs: forwardAbs, rel: forwardRel },
  vjp: { abs: vjpAbs, rel: vjpRel },
  fdStep: 1e-5
})

/**
 * Rasteriser (src/ops/rasterize). Hard-mode images are compared per pixel; up to
 * `outliers` pixels per scene may differ by up to `outlierAbs` (a Gaussian
 * meeting the 1/255 or 1e-4 thresholds in float32 but not in the Float64
 * reference, or two depths equal in float32). VJP rows apply to the smooth mode.
 */
const rasterOutliers = { outliers: 2, outlierAbs: 0.05 } as const
const rasterize = row({ ...tol(2e-5, 2e-4, 1e-4, 5e-3), ...rasterOutliers }, { ...tol(2e-4, 1e-3, 1e-3, 2e-2), ...rasterOutliers })

export const tolerances = {
  default: row(float32Default),
  linear: row(float32Default, tol(1e-4, 1e-3, 1e-3, 5e-3)),
  /** psnr is a log of a mean: float32 rounding of the mean shows up in the dB value. */
  psnr: row(tol(1e-3, 1e-4, 1e-3, 5e-3)),
  /**
   * bodyForward: a chain of up to 24 float32 rotations; values of order 1-3 (metres, rotation entries).
   * On webgpu, WGSL's sin and cos are only accurate to 2^-11 absolute (WGSL spec), and a composed
   * rotation entry was seen 2.4e-4 off: forward abs 1e-3 there.
   */
  bodyForward: row(tol(1e-4, 1e-4, 1e-3, 5e-3), tol(1e-3, 1e-3, 1e-3, 5e-3)),
  /** lbs and posedPositionMap: short float32 sums of products. */
  lbs: row(float32Default, tol(1e-4, 1e-3, 1e-3, 5e-3)),
  posedPositionMap: row(float32Default, tol(1e-4, 1e-3, 1e-3, 5e-3)),
  /** wasm gradient fixes vs cpu stock gradients (both float32, different summation orders). */
  wasmFixes: row(tol(1e-4, 1e-4, 1e-4, 1e-4)),
  /** Convolutions: sums of up to a few hundred float32 products. */
  conv: row(tol(1e-4, 1e-4, 1e-3, 3e-3), tol(1e-3, 1e-3, 2e-3, 5e-3)),
  /** batchNorm: normalisation divides by sqrt(variance); the batch variance is kept above 0.05 by the test. */
  batchNorm: row(tol(1e-4, 1e-4, 1e-3, 5e-3), tol(1e-3, 1e-3, 2e-3, 5e-3)),
  /** denseBlock: batchNorm's row (the test keeps the batch variance of softplus(x · weight + bias) above 0.05). */
  denseBlock: row(tol(1e-4, 1e-4, 1e-3, 5e-3), tol(1e-3, 1e-3, 2e-3, 5e-3)),
  /** ssim: ratios of windowed variances (differences of float32 sums). */
  ssim: row(tol(2e-4, 1e-3, 1e-3, 1e-2), tol(5e-4, 2e-3, 2e-3, 1e-2)),
  /** lpips: five layers of float32 convolutions and normalisations; ReLU/max-pool kinks are rarely crossed by the FD step. */
  lpips: row(tol(1e-4, 1e-3, 2e-3, 2e-2), tol(5e-4, 2e-3, 3e-3, 2e-2)),
  rasterize,
  /** The body-fit ops (project, gemanMcClure, bendPrior, weightedSquares, temporalSmoothness, softSilhouette): sums of float32 squares of pixel-sized values. */
  fitOps: row(tol(1e-4, 1e-4, 1e-3, 5e-3), tol(1e-3, 1e-3, 2e-3, 1e-2)),
  /**
   * The wasm SIMD rasteriser against the JavaScript kernel, both float32 in the hard mode: forward per
   * pixel value, gradients per element with scale = the largest |gradient| of that input. The SIMD exp
   * is a polynomial (a few float32 ulps from Math.exp) and its sums run in float32 rather than float64,
   * so up to `outliers` values per scene may differ by up to `outlierAbs` (times the scale for
   * gradients): a pair meeting the 1/255 or 1e-4 thresholds in one kernel and not in the other.
   */
  rasterizeSimd: row({ ...tol(2e-5, 2e-4, 2e-5, 1e-4), ...rasterOutliers }),
  /**
   * denseBlock's WebAssembly SIMD kernel against its tfjs kernel on the same float32 inputs (hundreds
   * to thousands of rows): per element, with scale = the largest |value| of that output or gradient
   * (sums over rows run in a different order; softplus and sigmoid are polynomials within a few ulps).
   */
  denseBlockSimd: row(tol(1e-5, 2e-4, 1e-5, 2e-4)),
  /** The harness's own self-test: a deliberately wrong gradient must exceed these. */
  selfTest: row(float32Default)
} as const satisfies { readonly [op: string]: { readonly [B in ToleranceBackend]: OpTolerances } }

export type ToleranceKey = keyof typeof tolerances

export const within = (actual: number, expected: number, tol: Tolerance, scale = Math.abs(expected)): boolean =>
  Math.abs(actual - expected) <= tol.abs + tol.rel * scale

/**
 * Whole images compared across file formats and renderers (not ops): per pixel value in [0, 1], with
 * up to `outliers` pixels allowed `outlierAbs` (a Gaussian crossing the 1/255 alpha cut-off with one
 * rounding and not the other, as in `rasterize`).
 * - exportedPly: an exported .ply read back and rasterised vs the render graph's image of the same
 *   pose and camera: float32 rounding of positions (camera transform in the graph vs in the
 *   rasteriser), of log scales, logit opacities and f_dc colours.
 * - exportedPng: the same, both as 8-bit PNGs: at most one level apart.
 */
export const imageTolerances = {
  exportedPly: { abs: 2e-5, outliers: 2, outlierAbs: 0.05 },
  exportedPng: { abs: 1 / 255, outliers: 2, outlierAbs: 0.05 },
  /**
   * The web viewer (Spark on WebGL) against gavatar render of the same pose and camera, as PSNR in dB
   * (the floors): exact mode plays the full graph's Gaussians (float16 positions, 8-bit
   * colours, another splatting renderer); skinned mode adds 4-bone skinning and the reference
   * pose's appearance.
   */
  viewerExactPsnr: 30,
  viewerSkinnedPsnr: 27
} as const

/**
 * The loss of each step of a short training run on webgpu against the same run on wasm (same seed,
 * same data): float32 kernels that round differently, whose differences Adam carries from step to
 * step (measured: relative 3e-6 to 1.3e-3 over six steps of the tiny preset on SwiftShader).
 */
export const acrossBackendsRun: Tolerance = { abs: 1e-3, rel: 1e-2 }
