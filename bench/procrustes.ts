/**
 * PA-MPJPE: the mean joint distance after the similarity (scale, rotation, translation) that best
 * aligns the estimate to the truth in the least-squares sense (Umeyama): with centred point sets
 * X (estimate) and Y (truth), S = Y^T X = U D V^T, R = U diag(1, 1, det(U V^T)) V^T,
 * s = tr(diag(1, 1, d) D) / |X|^2. The 3x3 SVD comes from the eigen-decomposition of S^T S (Jacobi).
 */

type M3 = Float64Array

const mul = (a: M3, b: M3): M3 => {
  const o = new Float64Array(9)
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) o[3 * r + c]! += a[3 * r + k]! * b[3 * k + c]!
  return o
}
const transpose = (a: M3): M3 => Float64Array.from([0, 3, 6, 1, 4, 7, 2, 5, 8], (k) => a[k]!)
const det = (a: M3): number => a[0]! * (a[4]! * a[8]! - a[5]! * a[7]!) - a[1]! * (a[3]! * a[8]! - a[5]! * a[6]!) + a[2]! * (a[3]! * a[7]! - a[4]! * a[6]!)

/** Eigenvectors (columns of V) and eigenvalues of a symmetric 3x3, by Jacobi rotations. */
const eigenSymmetric = (m: M3): { values: Float64Array; vectors: M3 } => {
  const a = Float64Array.from(m)
  let v: M3 = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1)
  for (let sweep = 0; sweep < 50; sweep++) {
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[3 * p + q]!
      if (Math.abs(apq) < 1e-15) continue
      const theta = (a[3 * q + q]! - a[3 * p + p]!) / (2 * apq)
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
      const c = 1 / Math.sqrt(t * t + 1), s = t * c
      const j = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1)
      j[3 * p + p] = c
      j[3 * q + q] = c
      j[3 * p + q] = s
      j[3 * q + p] = -s
      const rotated = mul(transpose(j), mul(a, j))
      a.set(rotated)
      v = mul(v, j)
    }
  }
  return { values: Float64Array.of(a[0]!, a[4]!, a[8]!), vectors: v }
}

/** Each point's distance (same units as the points) after the best similarity from `estimate` to `truth`, both [N * 3]. */
export const alignedDistances = (estimate: ArrayLike<number>, truth: ArrayLike<number>): Float64Array => {
  const n = estimate.length / 3
  const centre = (p: ArrayLike<number>) => [0, 1, 2].map((c) => Array.from({ length: n }, (_, i) => p[3 * i + c]!).reduce((a, b) => a + b, 0) / n)
  const cx = centre(estimate), cy = centre(truth)
  const x = Float64Array.from({ length: 3 * n }, (_, i) => estimate[i]! - cx[i % 3]!)
  const y = Float64Array.from({ length: 3 * n }, (_, i) => truth[i]! - cy[i % 3]!)
  const s = new Float64Array(9) // Y^T X
  for (let i = 0; i < n; i++) for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) s[3 * r + c]! += y[3 * i + r]! * x[3 * i + c]!
  const { values, vectors: v } = eigenSymmetric(mul(transpose(s), s))
  const order = [0, 1, 2].sort((a, b) => values[b]! - values[a]!)
  const V = Float64Array.from({ length: 9 }, (_, k) => v[3 * Math.floor(k / 3) + order[k % 3]!]!)
  const sigma = order.map((k) => Math.sqrt(Math.max(0, values[k]!)))
  const sv = mul(s, V) // = U D
  const U = Float64Array.from({ length: 9 }, (_, k) => (sigma[k % 3]! > 1e-12 ? sv[k]! / sigma[k % 3]! : 0))
  // A rank-deficient last column: complete U as a right-handed basis.
  const u0 = [U[0]!, U[3]!, U[6]!], u1 = [U[1]!, U[4]!, U[7]!]
  const u2 = [u0[1]! * u1[2]! - u0[2]! * u1[1]!, u0[2]! * u1[0]! - u0[0]! * u1[2]!, u0[0]! * u1[1]! - u0[1]! * u1[0]!]
  if (sigma[2]! <= 1e-12) [U[2], U[5], U[8]] = u2 as [number, number, number]
  const d = Math.sign(det(mul(U, transpose(V)))) || 1
  const R = mul(mul(U, Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, d)), transpose(V))
  const norm = x.reduce((a, b) => a + b * b, 0)
  const scale = (sigma[0]! + sigma[1]! + d * sigma[2]!) / norm
  const distances = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const p = [0, 1, 2].map((r) => scale * (R[3 * r]! * x[3 * i]! + R[3 * r + 1]! * x[3 * i + 1]! + R[3 * r + 2]! * x[3 * i + 2]!))
    distances[i] = Math.hypot(p[0]! - y[3 * i]!, p[1]! - y[3 * i + 1]!, p[2]! - y[3 * i + 2]!)
  }
  return distances
}

/** Mean distance after the best similarity from `estimate` to `truth` (PA-MPJPE for joints). */
export const paMpjpe = (estimate: ArrayLike<number>, truth: ArrayLike<number>): number => {
  const d = alignedDistances(estimate, truth)
  return d.reduce((a, b) => a + b, 0) / d.length
}
