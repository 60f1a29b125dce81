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

/**
 * Rasteriser (src/ops/rasterize). Hard-mode images are compared per pixel; up to
 * `outliers` pixels per scene may differ by up to `outlierAbs` (a Gaussian
 * meeting the 1/255 or 1e-4 thresholds in float32 but not in the Float64
 * reference, or two depths equal in float32). VJP rows apply to the smooth mode.
 */
const rasterize = {
  cpu: { forward: { abs: 2e-5, rel: 2e-4 }, vjp: { abs: 1e-4, rel: 5e-3 }, fdStep: 1e-5, outliers: 2, outlierAbs: 0.05 },
  wasm: { forward: { abs: 2e-5, rel: 2e-4 }, vjp: { abs: 1e-4, rel: 5e-3 }, fdStep: 1e-5, outliers: 2, outlierAbs: 0.05 },
  webgpu: { forward: { abs: 2e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 2e-2 }, fdStep: 1e-5, outliers: 2, outlierAbs: 0.05 }
} as const

export const tolerances = {
  default: { cpu: float32Default, wasm: float32Default, webgpu: float32Default },
  linear: {
    cpu: { forward: { abs: 1e-5, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 2e-3 }, fdStep: 1e-5 },
    wasm: { forward: { abs: 1e-5, rel: 1e-4 }, vjp: { abs: 1e-4, rel: 2e-3 }, fdStep: 1e-5 },
    webgpu: { forward: { abs: 1e-4, rel: 1e-3 }, vjp: { abs: 1e-3, rel: 5e-3 }, fdStep: 1e-5 }
  },
  rasterize,
  /** The harness's own self-test: a deliberately wrong gradient must exceed these. */
  selfTest: { cpu: float32Default, wasm: float32Default, webgpu: float32Default }
} as const satisfies { readonly [op: string]: { readonly [B in ToleranceBackend]: OpTolerances } }

export type ToleranceKey = keyof typeof tolerances

export const within = (actual: number, expected: number, tol: Tolerance, scale = Math.abs(expected)): boolean =>
  Math.abs(actual - expected) <= tol.abs + tol.rel * scale
