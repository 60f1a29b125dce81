/**
 * psnr: out = 10 log10(peak^2 / mean((prediction - target)^2)).
 * Shapes: prediction [...S], target [...S] -> out [] (scalar).
 * Not differentiable (and infinite) where prediction = target everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { psnrSpec } from "./spec.ts"

export const psnr: ResolvedOpDef<typeof psnrSpec> = defineOpDef({
  spec: psnrSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ prediction, target }, { peak }) => {
      const mse = tf.mean(tf.square(tf.sub(prediction, target)))
      return { out: tf.mul(tf.log(tf.div(peak * peak, mse)), 10 / Math.LN10) }
    }
  }
})
