/**
 * batchNorm, per channel c over all n leading positions:
 *   training:   out = (x - m) / sqrt(v + eps) * scale + shift, with m = mean(x), v = mean((x - m)^2)
 *   evaluation: the same with m = runningMean, v = runningVar.
 * batchMean = m_batch and batchVar = v_batch * n / (n - 1) (unbiased, as PyTorch updates its running
 * variance) are outputs in both modes; a graph's `updates` folds them into the running params.
 * Shapes: x [...S, C], runningMean/runningVar/scale/shift [C] -> out [...S, C], batchMean/batchVar [C].
 * Smooth for eps > 0. Running statistics carry no gradient.
 * out's gradient is explicit (tfjs derives some thirty passes over x from the composed ops): with
 * xhat the normalised x, s = 1 / sqrt(v + eps) and dxhat = d out * scale,
 *   training: dx = s (dxhat - mean(dxhat) - xhat mean(dxhat xhat)),  evaluation: dx = s dxhat,
 *   dscale = sum(d out * xhat), dshift = sum(d out) (normalisedGrads.ts, shared with denseBlock);
 * the batch statistics' outputs keep tfjs's derived gradients (only tests give them a cotangent).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { normalisedGrads } from "./normalisedGrads.ts"
import { batchNormSpec } from "./spec.ts"

/** xhat * scale + shift for rows [n, C], with the explicit gradient above (xhat and s computed by the caller, kept for the backward). */
const normalised = (xhat: tf.Tensor, invStd: tf.Tensor, train: boolean) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [, scale, shift, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc]
    save([xhat, invStd, scale])
    return {
      value: tf.add(tf.mul(xhat, scale), shift),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xhat, invStd, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor]
        const { vRows, vScale, vShift } = normalisedGrads(dy, xhat, invStd, scale, train)
        return [vRows, vScale, vShift]
      }
    }
  }) as (rows: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor) => tf.Tensor

export const batchNorm: ResolvedOpDef<typeof batchNormSpec> = defineOpDef({
  spec: batchNormSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x, runningMean, runningVar, scale, shift }, { eps }, ctx) => {
      const channels = x.shape[x.rank - 1] as number
      const rows = tf.reshape(x, [-1, channels])
      const n = rows.shape[0] as number
      const mean = tf.mean(rows, 0)
      const centred = tf.sub(rows, mean)
      const variance = tf.mean(tf.square(centred), 0)
      const train = ctx.mode === "train"
      const invStd = tf.rsqrt(tf.add(train ? variance : runningVar, eps))
      const xhat = tf.mul(train ? centred : tf.sub(rows, runningMean), invStd)
      const out = tf.reshape(normalised(xhat, invStd, train)(rows, scale, shift), x.shape)
      return { out, batchMean: mean, batchVar: tf.mul(variance, n / Math.max(n - 1, 1)) }
    }
  }
})
