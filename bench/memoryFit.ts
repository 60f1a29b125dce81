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
