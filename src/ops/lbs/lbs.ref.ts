/** Float64 reference of lbs: per point, blend the joints' 3x4 transforms by the weights and apply. */
import { skin64 } from "../../body/forward64.ts"
import type { F64, Reference } from "../contract.ts"

export const lbsReference: Reference<"points" | "weights" | "transforms", "out", Record<string, never>> = {
  forward: ({ points, weights, transforms }) => {
    const [b, n] = points.shape as [number, number, number]
    const j = weights.shape[1] as number
    const out: F64 = { shape: [b, n, 3], data: skin64(points.data, weights.data, transforms.data, b, n, j) }
    return { out }
  }
}
