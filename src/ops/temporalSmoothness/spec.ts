import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface TemporalSmoothnessAttrs {
  /** 1: velocity (x_{t+1} - x_t), 2: acceleration (x_{t+1} - 2 x_t + x_{t-1}). */
  readonly order: 1 | 2
  /**
   * Frames that begin a new run (a frame before them was dropped, or another shot begins): no
   * difference reaches across one. Default: none, every frame follows the one before.
   */
  readonly breaks?: ReadonlyArray<number>
}

/** Frame t's difference (frames t .. t + order) stays inside one run. */
export const withinRun = (t: number, a: TemporalSmoothnessAttrs): boolean => !(a.breaks ?? []).some((b) => b > t && b <= t + a.order)

export const temporalSmoothnessSpec = defineOp({
  name: "temporalSmoothness",
  doc: "Mean squared finite difference along the frame axis (consecutive frames, never across a break)",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (_attrs: TemporalSmoothnessAttrs) => ({ inputs: { x: port(["B", "N", 3]) }, outputs: { out: port([]) } })
})
