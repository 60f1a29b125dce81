/**
 * Uniform cubic B-splines over frames 0..T-1, used to smooth per-frame values along time.
 * With knot spacing s (frames), control point k (k = 0..K-1, K = ceil((T - 1) / s) + 3) weighs frame
 * t by b(t / s - (k - 1)), where b is the cubic B-spline kernel (support (-2, 2), b(0) = 2/3, the
 * weights of a frame sum to 1). A least-squares fit of the control points to values [T, D] (with a
 * tiny ridge, 1e-9 of the mean diagonal, so that the system stays solvable when there are more
 * control points than frames), evaluated back at the
 * frames, is a linear smoother that keeps any cubic motion and removes what changes faster than
 * about one knot spacing.
 */

/** The uniform cubic B-spline kernel. */
export const cubicBSpline = (u: number): number => {
  const a = Math.abs(u)
  return a < 1 ? 2 / 3 - a * a + (a * a * a) / 2 : a < 2 ? (2 - a) ** 3 / 6 : 0
}

/** Number of control points of a spline over `frames` frames with knots every `spacing` frames. */
export const controlPointCount = (frames: number, spacing: number): number => Math.ceil(Math.max(frames - 1, 0) / spacing) + 3

/** Basis rows [frames, K]: row t holds every control point's weight at frame t. */
export const splineBasis = (frames: number, spacing: number): Float64Array => {
  const K = controlPointCount(frames, spacing)
  const basis = new Float64Array(frames * K)
  for (let t = 0; t < frames; t++) for (let k = 0; k < K; k++) basis[t * K + k] = cubicBSpline(t / spacing - (k - 1))
  return basis
}

/** Solve A x = b in place for a symmetric positive definite A [n, n] (Cholesky); b [n, D] becomes x. */
const solveSpd = (a: Float64Array, n: number, b: Float64Array, columns: number): void => {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2
    const pivot = Math.sqrt(d)
    a[j * n + j] = pivot
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!
      a[i * n + j] = s / pivot
    }
  }
  for (let c = 0; c < columns; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * columns + c]!
      for (let k = 0; k < i; k++) s -= a[i * n + k]! * b[k * columns + c]!
      b[i * columns + c] = s / a[i * n + i]!
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * columns + c]!
      for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * b[k * columns + c]!
      b[i * columns + c] = s / a[i * n + i]!
    }
  }
}

/** Least-squares control points [K, D] of the spline through values [frames, D]. */
export const fitSpline = (values: ArrayLike<number>, frames: number, columns: number, spacing: number): Float64Array => {
  const K = controlPointCount(frames, spacing)
  const basis = splineBasis(frames, spacing)
  const normal = new Float64Array(K * K)
  const rhs = new Float64Array(K * columns)
  for (let t = 0; t < frames; t++)
    for (let i = 0; i < K; i++) {
      const wi = basis[t * K + i]!
      if (wi === 0) continue
      for (let j = 0; j < K; j++) normal[i * K + j]! += wi * basis[t * K + j]!
      for (let c = 0; c < columns; c++) rhs[i * columns + c]! += wi * (values[t * columns + c] as number)
    }
  let trace = 0
  for (let i = 0; i < K; i++) trace += normal[i * K + i]!
  for (let i = 0; i < K; i++) normal[i * K + i]! += (1e-9 * trace) / K
  solveSpd(normal, K, rhs, columns)
  return rhs
}

/** The spline with control points [K, D] at every frame: [frames, D]. */
export const evaluateSpline = (control: ArrayLike<number>, frames: number, columns: number, spacing: number): Float64Array => {
  const K = controlPointCount(frames, spacing)
  const basis = splineBasis(frames, spacing)
  const out = new Float64Array(frames * columns)
  for (let t = 0; t < frames; t++)
    for (let k = 0; k < K; k++) {
      const w = basis[t * K + k]!
      if (w !== 0) for (let c = 0; c < columns; c++) out[t * columns + c]! += w * (control[k * columns + c] as number)
    }
  return out
}

/** Values [frames, D] smoothed along time: the least-squares spline with knots every `spacing` frames, at each frame. */
export const smoothAlongTime = (values: ArrayLike<number>, frames: number, columns: number, spacing: number): Float64Array =>
  evaluateSpline(fitSpline(values, frames, columns, spacing), frames, columns, spacing)
