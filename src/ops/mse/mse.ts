/**
 * mse: out = mean((prediction - target)^2).
 * Shapes: prediction [...S], target [...S] -> out [] (scalar). Smooth everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { mseSpec } from "./spec.ts"

export const mse: ResolvedOpDef<typeof mseSpec> = defineOpDef({
  spec: mseSpec,
  kernel: { _tag: "Autodiff", forward: ({ prediction, target }) => ({ out: tf.mean(tf.square(tf.sub(prediction, target))) }) }
})
