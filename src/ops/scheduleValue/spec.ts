import { defineOp } from "../../dsl/op.ts"
import type { Scalar } from "../../dsl/schedule.ts"
import { port } from "../../dsl/shape.ts"

export interface ScheduleValueAttrs {
  readonly schedule: Scalar
}

export const scheduleValueSpec = defineOp({
  name: "scheduleValue",
  doc: "A scalar that follows a schedule of epoch and iteration (e.g. the scale warm-up)",
  inputs: [],
  outputs: ["out"],
  differentiable: [],
  signature: (_attrs: ScheduleValueAttrs) => ({ inputs: {}, outputs: { out: port([]) } })
})
