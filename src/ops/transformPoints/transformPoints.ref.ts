/** Float64 reference of transformPoints. */
import type { Reference } from "../contract.ts"

export const transformPointsReference: Reference<"points" | "matrix", "out", Record<string, never>> = {
  forward: ({ points, matrix }) => {
    const m = matrix.data
    const out = new Float64Array(points.data.length)
    for (let i = 0; i < points.data.length; i += 3) {
      const [x, y, z] = [points.data[i] as number, points.data[i + 1] as number, points.data[i + 2] as number]
      for (let r = 0; r < 3; r++) out[i + r] = (m[4 * r] as number) * x + (m[4 * r + 1] as number) * y + (m[4 * r + 2] as number) * z + (m[4 * r + 3] as number)
    }
    return { out: { shape: points.shape, data: out } }
  }
}
