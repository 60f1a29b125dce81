/** Float64 reference of scheduleValue. */
import { valueAt } from "../../dsl/schedule.ts"
import type { Reference } from "../contract.ts"
import { evalContext } from "../contract.ts"
import type { ScheduleValueAttrs } from "./spec.ts"

export const scheduleValueReference: Reference<never, "out", ScheduleValueAttrs> = {
  forward: (_inputs, { schedule }, ctx = evalContext) => ({ out: { shape: [], data: Float64Array.of(valueAt(schedule, ctx)) } })
}
