import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface TemporalSmoothnessAttrs {
  /** 1: velocity (x_{t+1} - x_t), 2: acceleration (x_{t+1} - 2 x_t + x_{t-1}). */
  readonly order: 1 | 2
}

export const temporalSmoothnessSpec = defineOp({
  name: "temporalSmoothness",
  doc: "Mean squared finite difference along the frame axis (consecutive frames)",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (_attrs: TemporalSmoothnessAttrs) => ({ inputs: { x: port(["B", "N", 3]) }, outputs: { out: port([]) } })
})
