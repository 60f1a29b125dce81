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

export const tolerances = {
  default: { cpu: float32Default, wasm: float32Default, webgpu: float32Default },
  linear: {
    cpu: { forward: { abs: 1e-5, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 2e-3 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-5, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 2e-3 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 }
  },
  /** psnr is a log of a mean: float32 rounding of the mean shows up in the dB value. */
  psnr: {
    cpu: { forward: { abs: 1e-3, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-3, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-3, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 }
  },
  /** bodyForward: a chain of up to 24 float32 rotations; values of order 1-3 (metres, rotation entries). */
  bodyForward: {
    cpu: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 }
  },
  /** lbs and posedPositionMap: short float32 sums of products. */
  lbs: { cpu: float32Default, wasm: float32Default, webgpu: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 } },
  posedPositionMap: { cpu: float32Default, wasm: float32Default, webgpu: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 } },
  /** wasm gradient fixes vs cpu stock gradients (both float32, different summation orders). */
  wasmFixes: {
    cpu: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 1e-4 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 1e-4 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 1e-4 }, fdStep: 1e-5 }
  },
  /** Convolutions: sums of up to a few hundred float32 products. */
  conv: {
    cpu: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 3e-3 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 3e-3 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-3, rel: 1e-3 }, vjp: { abs: 2e-3, rel: 5e-3 }, fdStep: 1e-5 }
  },
  /** batchNorm: normalisation divides by sqrt(variance); the batch variance is kept above 0.05 by the test. */
  batchNorm: {
    cpu: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-4, rel: 1e-4 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-3, rel: 1e-3 }, vjp: { abs: 2e-3, rel: 5e-3 }, fdStep: 1e-5 }
  },
  /** ssim: ratios of windowed variances (differences of float32 sums). */
  ssim: {
    cpu: { forward: { abs: 2e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 1e-2 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 2e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 1e-2 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 5e-4, rel: 2e-3 }, vjp: { abs: 2e-3, rel: 1e-2 }, fdStep: 1e-5 }
  },
  /** lpips: five layers of float32 convolutions and normalisations; ReLU/max-pool kinks are rarely crossed by the FD step. */
  lpips: {
    cpu: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 2e-3, rel: 2e-2 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 2e-3, rel: 2e-2 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 5e-4, rel: 2e-3 }, vjp: { abs: 3e-3, rel: 2e-2 }, fdStep: 1e-5 }
  },
  /** The harness's own self-test: a deliberately wrong gradient must exceed these. */
  selfTest: { cpu: float32Default, wasm: float32Default, webgpu: float32Default }
} as const satisfies { readonly [op: string]: { readonly [B in ToleranceBackend]: OpTolerances } }

export type ToleranceKey = keyof typeof tolerances

export const within = (actual: number, expected: number, tol: Tolerance, scale = Math.abs(expected)): boolean =>
  Math.abs(actual - expected) <= tol.abs + tol.rel * scale
