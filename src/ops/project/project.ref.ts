/** Float64 reference of project. */
import type { Reference } from "../contract.ts"
import type { ProjectAttrs } from "./spec.ts"

export const projectReference: Reference<"points", "out", ProjectAttrs> = {
  forward: ({ points }, a) => {
    const n = points.data.length / 3
    const out = new Float64Array(2 * n)
    for (let i = 0; i < n; i++) {
      const z = Math.max(points.data[3 * i + 2]!, a.minDepth)
      out[2 * i] = (a.fx * points.data[3 * i]!) / z + a.cx
      out[2 * i + 1] = (a.fy * points.data[3 * i + 1]!) / z + a.cy
    }
    return { out: { shape: [...points.shape.slice(0, -1), 2], data: out } }
  }
}
