/**
 * denseBlock: the decoder's block as one op,
 *   z = x · weight + bias, s = softplus(z), out = (s - m) / sqrt(v + eps) * scale + shift,
 * with m, v the batch mean and (biased) variance of s per channel in training, the running ones in
 * evaluation; batchMean = m_batch, batchVar = v_batch * n / (n - 1) (unbiased, as PyTorch updates
 * its running variance), both outputs in both modes (training reads them only for the running
 * statistics; their gradients are exact all the same).
 * Shapes: x [N, I], weight [I, O], bias, runningMean, runningVar, scale, shift [O] -> out [N, O],
 * batchMean, batchVar [O]. Smooth for eps > 0.
 * Memory: in training the gradient keeps only the inputs and recomputes z, s and the normalised s
 * in the backward pass (one more x · weight), where three separate ops (linear, activation,
 * batchNorm) keep about ten [N, O] tensors for it. With x̂ = (s - m) r, r = 1 / sqrt(v + eps),
 * g = dOut * scale:
 *   vShift = sum dOut, vScale = sum dOut x̂,
 *   vS = r (g - mean g - x̂ mean(g x̂)) + vBatchMean / N + vBatchVar 2 (s - m) / (N - 1), vZ = vS sigmoid(z),
 *   vWeight = xᵀ vZ, vBias = sum vZ, vX = vZ weightᵀ
 * (products with a transpose are explicit transposes: wasm's transposed matMul is slow).
 */
import * as tf from "@tensorflow/tfjs"
import type { OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { DenseBlockAttrs } from "./spec.ts"
import { denseBlockSpec } from "./spec.ts"

/** softplus(z) = relu(z) - log(sigmoid(|z|)): vectorised kernels (wasm's Softplus is a scalar loop). */
const softplus = (z: tf.Tensor): tf.Tensor => tf.sub(tf.relu(z), tf.log(tf.sigmoid(tf.abs(z))))

const preActivation = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor => tf.add(tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D), bias)

/** Per-channel batch mean and biased variance of s [N, O]. */
const batchMoments = (s: tf.Tensor) => tf.moments(s, 0)

const unbiased = (variance: tf.Tensor, n: number): tf.Tensor => tf.mul(variance, n / Math.max(n - 1, 1))

interface Recomputed {
  readonly normalised: tf.Tensor
  readonly slope: tf.Tensor
  readonly invStd: tf.Tensor
}

/** x̂, sigmoid(z) and 1 / sqrt(v + eps) from the inputs again (the backward pass). */
const recompute = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): Recomputed =>
  tf.tidy(() => {
    const z = preActivation(x, weight, bias)
    const s = softplus(z)
    const { mean, variance } = batchMoments(s)
    const invStd = tf.rsqrt(tf.add(variance, eps))
    return { normalised: tf.mul(tf.sub(s, mean), invStd), slope: tf.sigmoid(z), invStd }
  })

/** The gradients of x, weight, bias, scale, shift from those of out [N, O], batchMean and batchVar [O]. */
const backward = (dOut: tf.Tensor, dMean: tf.Tensor, dVar: tf.Tensor, [x, weight, bias, scale]: tf.Tensor[], eps: number): tf.Tensor[] => {
  const [xIn, w] = [x as tf.Tensor, weight as tf.Tensor]
  const n = xIn.shape[0] as number
  const { normalised, slope, invStd } = recompute(xIn, w, bias as tf.Tensor, eps)
  const [vScale, vShift, vZ] = tf.tidy(() => {
    const g = tf.mul(dOut, scale as tf.Tensor)
    const throughNorm = tf.mul(tf.sub(tf.sub(g, tf.mean(g, 0)), tf.mul(normalised, tf.mean(tf.mul(g, normalised), 0))), invStd)
    // batchMean = mean s; batchVar = sum (s - m)^2 / (n - 1), with s - m = x̂ / r.
    const throughStats = tf.add(tf.div(dMean, n), tf.mul(tf.div(normalised, invStd), tf.mul(dVar, 2 / Math.max(n - 1, 1))))
    return [tf.sum(tf.mul(dOut, normalised), 0), tf.sum(dOut, 0), tf.mul(tf.add(throughNorm, throughStats), slope)]
  })
  tf.dispose([normalised, slope, invStd])
  const vX = tf.matMul(vZ as tf.Tensor2D, tf.transpose(w) as tf.Tensor2D)
  const vWeight = tf.matMul(tf.transpose(xIn) as tf.Tensor2D, vZ as tf.Tensor2D)
  return [vX, vWeight, tf.sum(vZ as tf.Tensor, 0), vScale as tf.Tensor, vShift as tf.Tensor]
}

/**
 * Training: out, batchMean and batchVar through one custom gradient (flattened into one value, as
 * tfjs's custom gradients have one output) that saves only its inputs.
 */
const trainBlock = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, eps: number) => {
  const [n, o] = [x.shape[0] as number, weight.shape[1] as number]
  const block = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, w, b, sc, sh, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc]
    save([xs, w, b, sc])
    const s = softplus(preActivation(xs, w, b))
    const { mean, variance } = batchMoments(s)
    const out = tf.add(tf.mul(tf.mul(tf.sub(s, mean), tf.rsqrt(tf.add(variance, eps))), sc), sh)
    const value = tf.concat([tf.reshape(out, [-1]), mean, unbiased(variance, n)])
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [dOut, dMean, dVar] = tf.split(dy, [n * o, o, o]) as [tf.Tensor, tf.Tensor, tf.Tensor]
      return backward(tf.reshape(dOut, [n, o]), dMean, dVar, saved, eps)
    }
    return { value, gradFunc }
  }) as (...inputs: tf.Tensor[]) => tf.Tensor
  const [out, batchMean, batchVar] = tf.split(block(x, weight, bias, scale, shift), [n * o, o, o]) as [tf.Tensor, tf.Tensor, tf.Tensor]
  return { out: tf.reshape(out, [n, o]), batchMean, batchVar }
}

export const denseBlock: OpDef<typeof denseBlockSpec> = defineOpDef({
  spec: denseBlockSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x, weight, bias, runningMean, runningVar, scale, shift }, { eps }: DenseBlockAttrs, ctx) => {
      const n = x.shape[0] as number
      if (ctx.mode === "train") {
        return trainBlock(x, weight, bias, scale, shift, eps)
      }
      const s = softplus(preActivation(x, weight, bias))
      const { mean, variance } = batchMoments(s)
      const out = tf.add(tf.mul(tf.div(tf.sub(s, runningMean), tf.sqrt(tf.add(runningVar, eps))), scale), shift)
      return { out, batchMean: mean, batchVar: unbiased(variance, n) }
    }
  }
})
