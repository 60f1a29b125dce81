/**
 * l1: out = mean(|prediction - target|).
 * Shapes: prediction [...S], target [...S] -> out [] (scalar).
 * Not differentiable where prediction = target (tfjs uses sign(0) = 0 there).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { l1Spec } from "./spec.ts"

export const l1: ResolvedOpDef<typeof l1Spec> = defineOpDef({
  spec: l1Spec,
  kernel: { _tag: "Autodiff", forward: ({ prediction, target }) => ({ out: tf.mean(tf.abs(tf.sub(prediction, target))) }) }
})
