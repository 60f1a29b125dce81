/**
 * denseBlock's WebAssembly SIMD kernels, in AssemblyScript (compiled by `asc` at first use and
 * cached: ../compile.ts). AssemblyScript rather than the project's opcode emitter (src/wasm):
 * the layer is a GEMM in three layouts plus Softplus, sigmoid and per-channel reductions,
 * forward and backward; as loops and expressions it reads as the math does, where the same in
 * emitted opcodes would be several hundred lines of stack code.
 *
 * Every function works on rows [r0, r1) of row-major float32 matrices in the shared memory (byte
 * addresses; `ld*` are row lengths in floats), so two threads can split the rows; per-channel sums
 * go into the caller's partial vectors (one per thread, zeroed by the caller, added to here).
 * Channel widths `n` of the per-channel passes are multiples of 4 (the caller pads with zeros).
 *
 * Math (per row, per channel): z = x · w + b, s = softplus(z) = max(z, 0) + log1p(exp(-|z|)),
 * sigmoid(z) = 1 / (1 + e) (z >= 0) or e / (1 + e) (z < 0) with e = exp(-|z|); exp by range
 * reduction and a degree-7 polynomial, log1p(u), u in (0, 1], by 2 atanh(f / (2 + f)) with f = u
 * (u < sqrt 2 - 1) or (u - 1) / 2 plus ln 2 (no rounding of 1 + u): both within a few float32 ulps.
 */

// ---- matrix products -------------------------------------------------------------------------

/** Store the first `lanes` (1..4) lanes of v at p. */
@inline function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(p, v)
    return
  }
  store<f32>(p, f32x4.extract_lane(v, 0))
  if (lanes > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4)
  if (lanes > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8)
}

@inline function initial(bias: usize, c: i32): v128 {
  return bias != 0 ? v128.load(bias + (<usize>c << 2)) : f32x4.splat(0)
}

/** c[r..r+4, col..col+8] = a[r..r+4, :k] · b[:k, col..col+8] (+ bias). */
@inline function tile4x8(a: usize, lda: i32, k: i32, b: usize, ldb: i32, bias: usize, c: usize, ldc: i32, r: i32, col: i32): void {
  let a0 = a + (<usize>(r * lda) << 2)
  const sa = <usize>lda << 2
  let bp = b + (<usize>col << 2)
  const sb = <usize>ldb << 2
  let c00 = initial(bias, col), c01 = initial(bias, col + 4)
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16)
    const x0 = v128.load32_splat(a0), x1 = v128.load32_splat(a0 + sa), x2 = v128.load32_splat(a0 + 2 * sa), x3 = v128.load32_splat(a0 + 3 * sa)
    c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1))
    c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1))
    c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1))
    c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1))
    a0 += 4
    bp += sb
  }
  const sc = <usize>ldc << 2
  const p = c + (<usize>(r * ldc + col) << 2)
  v128.store(p, c00); v128.store(p, c01, 16)
  v128.store(p + sc, c10); v128.store(p + sc, c11, 16)
  v128.store(p + 2 * sc, c20); v128.store(p + 2 * sc, c21, 16)
  v128.store(p + 3 * sc, c30); v128.store(p + 3 * sc, c31, 16)
}

/** c[r..r+rows, col..col+lanes] = a · b (+ bias) for rows in 1..4 and lanes in 1..4. */
@inline function tileNx4(a: usize, lda: i32, k: i32, b: usize, ldb: i32, bias: usize, c: usize, ldc: i32, r: i32, rows: i32, col: i32, lanes: i32): void {
  for (let i = 0; i < rows; i++) {
    let ap = a + (<usize>((r + i) * lda) << 2)
    let bp = b + (<usize>col << 2)
    let acc = initial(bias, col)
    for (let kk = 0; kk < k; kk++) {
      acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap), v128.load(bp)))
      ap += 4
      bp += <usize>ldb << 2
    }
    storeLanes(c + (<usize>((r + i) * ldc + col) << 2), acc, lanes)
  }
}

/**
 * c[r0..r1, :n] = a[r0..r1, :k] · b[:k, :n] (+ bias[:n] when bias != 0). b (and bias) hold at least
 * n rounded up to 4 columns, zero past n; c gets exactly n columns.
 */
export function matmulRows(a: usize, lda: i32, k: i32, b: usize, ldb: i32, bias: usize, c: usize, ldc: i32, n: i32, r0: i32, r1: i32): void {
  let r = r0
  for (; r + 4 <= r1; r += 4) {
    let col = 0
    for (; col + 8 <= n; col += 8) tile4x8(a, lda, k, b, ldb, bias, c, ldc, r, col)
    for (; col < n; col += 4) tileNx4(a, lda, k, b, ldb, bias, c, ldc, r, 4, col, min(4, n - col))
  }
  if (r < r1) for (let col = 0; col < n; col += 4) tileNx4(a, lda, k, b, ldb, bias, c, ldc, r, r1 - r, col, min(4, n - col))
}

/** Rows per chunk of transposedProduct: a chunk of x and g stays in the cache while every tile sweeps it. */
const chunkRows = 256

/** out[i..i+rowsI, col..col+8] += sum over rows of x[row, i..] g[row, col..col+8] (rowsI 1 or 4). */
@inline function accumulateT(x: usize, ldx: i32, g: usize, ldg: i32, out: usize, ldo: i32, i: i32, rowsI: i32, col: i32, r0: i32, r1: i32): void {
  const po = out + (<usize>(i * ldo + col) << 2)
  const so = <usize>ldo << 2
  let xp = x + (<usize>(r0 * ldx + i) << 2)
  let gp = g + (<usize>(r0 * ldg + col) << 2)
  const sx = <usize>ldx << 2, sg = <usize>ldg << 2
  if (rowsI == 4) {
    let c00 = v128.load(po), c01 = v128.load(po, 16), c10 = v128.load(po + so), c11 = v128.load(po + so, 16)
    let c20 = v128.load(po + 2 * so), c21 = v128.load(po + 2 * so, 16), c30 = v128.load(po + 3 * so), c31 = v128.load(po + 3 * so, 16)
    for (let r = r0; r < r1; r++) {
      const g0 = v128.load(gp), g1 = v128.load(gp, 16)
      const x0 = v128.load32_splat(xp), x1 = v128.load32_splat(xp, 4), x2 = v128.load32_splat(xp, 8), x3 = v128.load32_splat(xp, 12)
      c00 = f32x4.add(c00, f32x4.mul(x0, g0)); c01 = f32x4.add(c01, f32x4.mul(x0, g1))
      c10 = f32x4.add(c10, f32x4.mul(x1, g0)); c11 = f32x4.add(c11, f32x4.mul(x1, g1))
      c20 = f32x4.add(c20, f32x4.mul(x2, g0)); c21 = f32x4.add(c21, f32x4.mul(x2, g1))
      c30 = f32x4.add(c30, f32x4.mul(x3, g0)); c31 = f32x4.add(c31, f32x4.mul(x3, g1))
      xp += sx
      gp += sg
    }
    v128.store(po, c00); v128.store(po, c01, 16); v128.store(po + so, c10); v128.store(po + so, c11, 16)
    v128.store(po + 2 * so, c20); v128.store(po + 2 * so, c21, 16); v128.store(po + 3 * so, c30); v128.store(po + 3 * so, c31, 16)
  } else {
    let c0 = v128.load(po), c1 = v128.load(po, 16)
    for (let r = r0; r < r1; r++) {
      const x0 = v128.load32_splat(xp)
      c0 = f32x4.add(c0, f32x4.mul(x0, v128.load(gp)))
      c1 = f32x4.add(c1, f32x4.mul(x0, v128.load(gp, 16)))
      xp += sx
      gp += sg
    }
    v128.store(po, c0); v128.store(po, c1, 16)
  }
}

/** As accumulateT for 4 columns (the last 4 of a width that is 4 more than a multiple of 8). */
@inline function accumulateT4(x: usize, ldx: i32, g: usize, ldg: i32, out: usize, ldo: i32, i: i32, col: i32, r0: i32, r1: i32): void {
  const po = out + (<usize>(i * ldo + col) << 2)
  let xp = x + (<usize>(r0 * ldx + i) << 2)
  let gp = g + (<usize>(r0 * ldg + col) << 2)
  let c0 = v128.load(po)
  for (let r = r0; r < r1; r++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(xp), v128.load(gp)))
    xp += <usize>ldx << 2
    gp += <usize>ldg << 2
  }
  v128.store(po, c0)
}

/** out[:k, :n] += x[r0..r1, :k]ᵀ · g[r0..r1, :n] (n a multiple of 4; out [k, ldo]). */
export function transposedProduct(x: usize, ldx: i32, k: i32, g: usize, ldg: i32, n: i32, out: usize, ldo: i32, r0: i32, r1: i32): void {
  for (let start = r0; start < r1; start += chunkRows) {
    const end = min(r1, start + chunkRows)
    for (let i = 0; i < k; ) {
      const rowsI = i + 4 <= k ? 4 : 1
      let col = 0
      for (; col + 8 <= n; col += 8) accumulateT(x, ldx, g, ldg, out, ldo, i, rowsI, col, start, end)
      if (col < n) for (let j = 0; j < rowsI; j++) accumulateT4(x, ldx, g, ldg, out, ldo, i + j, col, start, end)
      i += rowsI
    }
  }
}

// ---- Softplus and sigmoid ----------------------------------------------------------------------

const ln2Hi: f32 = 0.693359375
const ln2Lo: f32 = <f32>(0.6931471805599453 - 0.693359375)
const roundingShift: f32 = 12582912.0 + 127.0

/** exp(-a) for a >= 0 (a clamped to 87: the result stays a normal float). */
@inline function expNeg(a: v128): v128 {
  const x = f32x4.neg(f32x4.min(a, f32x4.splat(87)))
  const k = f32x4.add(f32x4.mul(x, f32x4.splat(1.4426950408889634)), f32x4.splat(roundingShift))
  const n = f32x4.sub(k, f32x4.splat(roundingShift))
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(ln2Hi))), f32x4.mul(n, f32x4.splat(ln2Lo)))
  let p = f32x4.splat(<f32>(1.0 / 5040))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 720)))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120)))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24)))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6)))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1))
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1))
  return f32x4.mul(p, i32x4.shl(k, 23))
}

/** log1p(u) for u in (0, 1]. */
@inline function log1pUnit(u: v128): v128 {
  const big = f32x4.gt(u, f32x4.splat(0.41421356))
  const f = v128.bitselect(f32x4.mul(f32x4.sub(u, f32x4.splat(1)), f32x4.splat(0.5)), u, big)
  const e = v128.and(f32x4.splat(0.6931471805599453), big)
  const t = f32x4.div(f, f32x4.add(f32x4.splat(2), f))
  const t2 = f32x4.mul(t, t)
  let p = f32x4.splat(<f32>(1.0 / 9))
  p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>(1.0 / 7)))
  p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>(1.0 / 5)))
  p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>(1.0 / 3)))
  p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(1))
  return f32x4.add(e, f32x4.mul(f32x4.add(t, t), p))
}

/**
 * For rows [r0, r1): z = x · w + b into s, then s = softplus(z), slope = sigmoid(z) (when slope != 0)
 * and sums[c] += s, four rows at a time while they are in the cache. s, slope: [rows, n].
 */
export function linearSoftplusRows(x: usize, ldx: i32, k: i32, w: usize, bias: usize, s: usize, slope: usize, sums: usize, n: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r += 4) {
    const end = min(r1, r + 4)
    matmulRows(x, ldx, k, w, n, bias, s, n, n, r, end)
    for (let c = 0; c < n; c += 4) {
      const sumP = sums + (<usize>c << 2)
      let acc = v128.load(sumP)
      for (let row = r; row < end; row++) {
        const p = <usize>(row * n + c) << 2
        const z = v128.load(s + p)
        const e = expNeg(f32x4.abs(z))
        const sp = f32x4.add(f32x4.max(z, f32x4.splat(0)), log1pUnit(e))
        v128.store(s + p, sp)
        acc = f32x4.add(acc, sp)
        if (slope != 0) {
          const inv = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e))
          v128.store(slope + p, v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(z, f32x4.splat(0))))
        }
      }
      v128.store(sumP, acc)
    }
  }
}

// ---- per-channel passes ------------------------------------------------------------------------

/** out[c] += sum over rows of (s - centre[c])². */
export function squaredDeviations(s: usize, centre: usize, out: usize, n: i32, r0: i32, r1: i32): void {
  for (let c = 0; c < n; c += 4) {
    const m = v128.load(centre + (<usize>c << 2))
    let acc = f32x4.splat(0)
    for (let row = r0; row < r1; row++) {
      const d = f32x4.sub(v128.load(s + (<usize>(row * n + c) << 2)), m)
      acc = f32x4.add(acc, f32x4.mul(d, d))
    }
    const p = out + (<usize>c << 2)
    v128.store(p, f32x4.add(v128.load(p), acc))
  }
}

/** out[row, :width] = s[row, :width] · gain + offset (per channel), out with row length ldo. */
export function affineRows(s: usize, gain: usize, offset: usize, out: usize, ldo: i32, n: i32, width: i32, r0: i32, r1: i32): void {
  for (let row = r0; row < r1; row++) {
    for (let c = 0; c < width; c += 4) {
      const q = <usize>c << 2
      const y = f32x4.add(f32x4.mul(v128.load(s + (<usize>(row * n) << 2) + q), v128.load(gain + q)), v128.load(offset + q))
      storeLanes(out + (<usize>(row * ldo) << 2) + q, y, min(4, width - c))
    }
  }
}

/** With x̂ = s · invStd + offset: sumG[c] += sum g, sumGX[c] += sum g x̂. */
export function gradientSums(s: usize, g: usize, invStd: usize, offset: usize, sumG: usize, sumGX: usize, n: i32, r0: i32, r1: i32): void {
  for (let c = 0; c < n; c += 4) {
    const q = <usize>c << 2
    const r = v128.load(invStd + q), o = v128.load(offset + q)
    let ag = f32x4.splat(0), agx = f32x4.splat(0)
    for (let row = r0; row < r1; row++) {
      const p = (<usize>(row * n) << 2) + q
      const gv = v128.load(g + p)
      ag = f32x4.add(ag, gv)
      agx = f32x4.add(agx, f32x4.mul(gv, f32x4.add(f32x4.mul(v128.load(s + p), r), o)))
    }
    v128.store(sumG + q, f32x4.add(v128.load(sumG + q), ag))
    v128.store(sumGX + q, f32x4.add(v128.load(sumGX + q), agx))
  }
}

/**
 * vZ = slope (a · g + b · x̂ + c) with x̂ = s · invStd + offset, written over g; vBias[c] += sum vZ.
 * (a, b, c per channel: denseBlockWasm.ts derives them from batchNorm's gradient.)
 */
export function preActivationGrads(s: usize, slope: usize, g: usize, invStd: usize, offset: usize, a: usize, b: usize, cc: usize, vBias: usize, n: i32, r0: i32, r1: i32): void {
  for (let c = 0; c < n; c += 4) {
    const q = <usize>c << 2
    const r = v128.load(invStd + q), o = v128.load(offset + q)
    const av = v128.load(a + q), bv = v128.load(b + q), cv = v128.load(cc + q)
    let acc = f32x4.splat(0)
    for (let row = r0; row < r1; row++) {
      const p = (<usize>(row * n) << 2) + q
      const xhat = f32x4.add(f32x4.mul(v128.load(s + p), r), o)
      const inner = f32x4.add(f32x4.add(f32x4.mul(av, v128.load(g + p)), f32x4.mul(bv, xhat)), cv)
      const vz = f32x4.mul(v128.load(slope + p), inner)
      v128.store(g + p, vz)
      acc = f32x4.add(acc, vz)
    }
    v128.store(vBias + q, f32x4.add(v128.load(vBias + q), acc))
  }
}

/** Where the caller's buffers may start (past this module's static data). */
export function heapBase(): usize {
  return __heap_base
}
