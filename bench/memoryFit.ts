/** Least squares for the memory bench: coefficients c minimising sum (y - x·c)^2 (normal equations, partial pivoting). */
export const leastSquares = (rows: ReadonlyArray<ReadonlyArray<number>>, y: ReadonlyArray<number>): number[] => {
  const k = rows[0]?.length ?? 0
  // Scale each column to unit size so that the normal equations are well conditioned.
  const scale = Array.from({ length: k }, (_, j) => Math.max(...rows.map((r) => Math.abs(r[j] as number)), 1e-30))
  const a = Array.from({ length: k }, (_, i) => Array.from({ length: k + 1 }, (_, j) => rows.reduce((s, r, n) => s + ((r[i] as number) / scale[i]!) * (j < k ? (r[j] as number) / scale[j]! : (y[n] as number)), 0)))
  for (let col = 0; col < k; col++) {
    const pivot = a.slice(col).reduce((best, row, i) => (Math.abs(row[col] as number) > Math.abs(a[best]![col] as number) ? col + i : best), col)
    ;[a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]]
    const p = a[col]![col] as number
    if (Math.abs(p) < 1e-12) throw new Error(`leastSquares: regressor ${col} is not determined by these configurations`)
    for (let r = 0; r < k; r++) {
      if (r === col) continue
      const f = (a[r]![col] as number) / p
      for (let j = col; j <= k; j++) a[r]![j] = (a[r]![j] as number) - f * (a[col]![j] as number)
    }
  }
  return Array.from({ length: k }, (_, j) => (a[j]![k] as number) / (a[j]![j] as number) / scale[j]!)
}

/**
 * Least squares with coefficients >= 0 (memory does not shrink as a configuration grows): fit,
 * drop the most negative coefficient's regressor (its coefficient 0), fit again, until none is
 * negative. Two configurations that vary together (Gaussians and Gaussians x width) otherwise
 * trade a large positive coefficient against a negative one, which extrapolates badly.
 */
export const nonNegativeLeastSquares = (rows: ReadonlyArray<ReadonlyArray<number>>, y: ReadonlyArray<number>): number[] => {
  const k = rows[0]?.length ?? 0
  const active = Array.from({ length: k }, (_, j) => j)
  for (;;) {
    const fitted = leastSquares(rows.map((r) => active.map((j) => r[j] as number)), y)
    const worst = fitted.reduce((w, c, i) => (c < (fitted[w] as number) ? i : w), 0)
    if ((fitted[worst] as number) >= 0 || active.length === 1) {
      const c = new Array<number>(k).fill(0)
      active.forEach((j, i) => (c[j] = Math.max(fitted[i] as number, 0)))
      return c
    }
    active.splice(worst, 1)
  }
}
