/**
 * The footprint shared by softSilhouette's kernel and reference: coverage of pixel (x, y) by a point
 * at (u, v), g = opacity (1 - d2 / R^2)^3 for d2 = (x - u)^2 + (y - v)^2 < R^2, else 0 (twice
 * continuously differentiable, zero outside the radius), and its derivative with respect to (u, v).
 */
export const coverage = (d2: number, r2: number, opacity: number): number => (d2 < r2 ? opacity * (1 - d2 / r2) ** 3 : 0)

/** dg/du = factor (x - u), dg/dv = factor (y - v), with factor = 6 opacity (1 - d2/R^2)^2 / R^2. */
export const coverageSlope = (d2: number, r2: number, opacity: number): number => (d2 < r2 ? (6 * opacity * (1 - d2 / r2) ** 2) / r2 : 0)

/** The pixel rows or columns a point at `c` touches: [first, last] clipped to [0, size - 1]. */
export const span = (c: number, radius: number, size: number): readonly [number, number] => [Math.max(0, Math.ceil(c - radius)), Math.min(size - 1, Math.floor(c + radius))]
