/**
 * denseBlock's kernel on tfjs ops (every backend): a Custom kernel whose forward saves nothing but
 * the mode (the runtime keeps the op's inputs) and whose backward recomputes z, sigmoid(z) and x̂
 * from x (one more x · weight). Three separate ops (linear, Softplus, batchNorm) keep about ten
 * [N, O] tensors per layer for the backward pass; this keeps x alone, which the previous layer
 * produced anyway. Every [N, O] temporary is freed as soon as it is used (at 174k points and 128
 * channels one is 89 MB).
 * Backward, with x̂ = (s - m) r (m, r = 1 / sqrt(v + eps) the batch's in training, the running ones
 * in evaluation) and batchNorm's explicit gradient of x̂ scale + shift (normalisedGrads):
 *   vS = vRows + vBatchMean / N + vBatchVar 2 (s - m_batch) / (N - 1),
 *      with s - m_batch = x̂ / r + (m - m_batch) (0 in training),
 *   vZ = vS sigmoid(z), vWeight = xᵀ vZ, vBias = sum vZ, vX = vZ weightᵀ
 * (products with a transpose are explicit transposes: wasm's transposed matMul is slow).
 */
import * as tf from "@tensorflow/tfjs"
import { normalisedGrads } from "../batchNorm/normalisedGrads.ts"
import type { CustomKernel } from "../contract.ts"
import type { denseBlockSpec } from "./spec.ts"

/** What the forward keeps for the backward besides the op's inputs: whether it used batch statistics. */
export type DenseBlockSaved = { readonly train: boolean }

/**
 * softplus(z) = relu(z) - log(sigmoid(|z|)): vectorised kernels (wasm's Softplus is a scalar loop),
 * at most three [N, O] temporaries alive at once.
 */
const softplus = (z: tf.Tensor): tf.Tensor => {
  const tail = tf.tidy(() => tf.log(tf.sigmoid(tf.abs(z))))
  const ramp = tf.relu(z)
  const s = tf.sub(ramp, tail)
  tf.dispose([tail, ramp])
  return s
}

const preActivation = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor => tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D), bias))

/** s = softplus(x · weight + bias), and sigmoid(z) (its derivative) when asked. */
const activations = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, withSlope: boolean): { s: tf.Tensor; slope?: tf.Tensor } => {
  const z = preActivation(x, weight, bias)
  const slope = withSlope ? tf.sigmoid(z) : undefined
  const s = softplus(z)
  z.dispose()
  return slope ? { s, slope } : { s }
}

/** Per-channel batch mean, biased variance, and the unbiased one (what PyTorch folds into its running variance). */
const batchMoments = (s: tf.Tensor) =>
  tf.tidy(() => {
    const n = s.shape[0] as number
    const { mean, variance } = tf.moments(s, 0)
    return { mean, variance, unbiased: tf.mul(variance, n / Math.max(n - 1, 1)) }
  })

/** The centre and 1 / sqrt(v + eps) that normalise s: the batch's in training, the running ones in evaluation. */
const normaliser = (train: boolean, moments: { mean: tf.Tensor; variance: tf.Tensor }, runningMean: tf.Tensor, runningVar: tf.Tensor, eps: number) =>
  tf.tidy(() => ({ centre: train ? tf.clone(moments.mean) : tf.clone(runningMean), invStd: tf.rsqrt(tf.add(train ? moments.variance : runningVar, eps)) }))

export const denseBlockTf: CustomKernel<typeof denseBlockSpec, DenseBlockSaved> = {
  _tag: "Custom",
  forward: ({ x, weight, bias, runningMean, runningVar, scale, shift }, { eps }, ctx) => {
    const train = ctx.mode === "train"
    const { s } = activations(x, weight, bias, false)
    const moments = batchMoments(s)
    const { centre, invStd } = normaliser(train, moments, runningMean, runningVar, eps)
    const out = tf.tidy(() => tf.add(tf.mul(tf.sub(s, centre), tf.mul(invStd, scale)), shift))
    tf.dispose([s, centre, invStd, moments.variance])
    return { outputs: { out, batchMean: moments.mean, batchVar: moments.unbiased }, saved: { train } }
  },
  backward: ({ inputs: { x, weight, bias, runningMean, runningVar, scale }, saved: { train }, grads, attrs: { eps } }) => {
    const n = x.shape[0] as number
    const { s, slope } = activations(x, weight, bias, true) as { s: tf.Tensor; slope: tf.Tensor }
    const moments = batchMoments(s)
    const { centre, invStd } = normaliser(train, moments, runningMean, runningVar, eps)
    const xhat = tf.tidy(() => tf.mul(tf.sub(s, centre), invStd))
    s.dispose()
    const { vRows, vScale, vShift } = normalisedGrads(grads.out, xhat, invStd, scale, train)
    const vS = tf.tidy(() => {
      const perVar = tf.mul(grads.batchVar, 2 / Math.max(n - 1, 1))
      const offset = tf.add(tf.div(grads.batchMean, n), tf.mul(perVar, tf.sub(centre, moments.mean)))
      return tf.add(tf.add(vRows, tf.mul(xhat, tf.div(perVar, invStd))), offset)
    })
    tf.dispose([xhat, vRows, centre, invStd, moments.mean, moments.variance, moments.unbiased])
    const vZ = tf.mul(vS, slope)
    tf.dispose([vS, slope])
    const vX = tf.tidy(() => tf.matMul(vZ as tf.Tensor2D, tf.transpose(weight) as tf.Tensor2D))
    const vWeight = tf.tidy(() => tf.matMul(tf.transpose(x) as tf.Tensor2D, vZ as tf.Tensor2D))
    const vBias = tf.sum(vZ, 0)
    vZ.dispose()
    return { vX, vWeight, vBias, vScale, vShift }
  }
}
