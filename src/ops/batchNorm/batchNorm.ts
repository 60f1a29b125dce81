/**
 * batchNorm, per channel c over all n leading positions:
 *   training:   out = (x - m) / sqrt(v + eps) * scale + shift, with m = mean(x), v = mean((x - m)^2)
 *   evaluation: the same with m = runningMean, v = runningVar.
 * batchMean = m_batch and batchVar = v_batch * n / (n - 1) (unbiased, as PyTorch updates its running
 * variance) are outputs in both modes; a graph's `updates` folds them into the running params.
 * Shapes: x [...S, C], runningMean/runningVar/scale/shift [C] -> out [...S, C], batchMean/batchVar [C].
 * Smooth for eps > 0. Running statistics carry no gradient.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { batchNormSpec } from "./spec.ts"

export const batchNorm: ResolvedOpDef<typeof batchNormSpec> = defineOpDef({
  spec: batchNormSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x, runningMean, runningVar, scale, shift }, { eps }, ctx) => {
      const channels = x.shape[x.rank - 1] as number
      const rows = tf.reshape(x, [-1, channels])
      const n = rows.shape[0] as number
      const { mean, variance } = tf.moments(rows, 0)
      const [m, v] = ctx.mode === "train" ? [mean, variance] : [runningMean, runningVar]
      const normalised = tf.div(tf.sub(x, m), tf.sqrt(tf.add(v, eps)))
      return { out: tf.add(tf.mul(normalised, scale), shift), batchMean: mean, batchVar: tf.mul(variance, n / Math.max(n - 1, 1)) }
    }
  }
})
