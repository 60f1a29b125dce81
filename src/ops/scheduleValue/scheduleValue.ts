/**
 * scheduleValue: out = schedule(epoch, iteration) of the current evaluation (see src/dsl/schedule.ts).
 * Shapes: no inputs -> out [] (scalar). A constant for the tape: nothing to differentiate.
 */
import * as tf from "@tensorflow/tfjs"
import { valueAt } from "../../dsl/schedule.ts"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { scheduleValueSpec } from "./spec.ts"

export const scheduleValue: ResolvedOpDef<typeof scheduleValueSpec> = defineOpDef({
  spec: scheduleValueSpec,
  kernel: { _tag: "Autodiff", forward: (_inputs, { schedule }, ctx) => ({ out: tf.scalar(valueAt(schedule, ctx)) }) }
})
