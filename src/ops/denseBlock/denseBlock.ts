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

/** Per-channel batch mean and biased variance of s [N, O]. */
const batchMoments = (s: tf.Tensor): { mean: tf.Tensor; variance: tf.Tensor } => tf.tidy(() => tf.moments(s, 0))

const unbiased = (variance: tf.Tensor, n: number): tf.Tensor => tf.mul(variance, n / Math.max(n - 1, 1))

interface Recomputed {
  readonly normalised: tf.Tensor
  readonly slope: tf.Tensor
  readonly invStd: tf.Tensor
}

/**
 * x̂, sigmoid(z) and 1 / sqrt(v + eps) from the inputs again (the backward pass). Each step frees
 * what it no longer needs: at N = 174k points and O = 128 one [N, O] tensor is 89 MB.
 */
const recompute = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): Recomputed => {
  const z = preActivation(x, weight, bias)
  const slope = tf.sigmoid(z)
  const s = softplus(z)
  z.dispose()
  const { mean, variance } = batchMoments(s)
  const invStd = tf.tidy(() => tf.rsqrt(tf.add(variance, eps)))
  const normalised = tf.tidy(() => tf.mul(tf.sub(s, mean), invStd))
  tf.dispose([s, mean, variance])
  return { normalised, slope, invStd }
}

/**
 * The gradients of x, weight, bias, scale, shift from those of out [N, O], batchMean and batchVar
 * [O]. With gi = dOut scale r: vS = gi + x̂ A + B, A = vBatchVar 2 / ((N - 1) r) - mean(gi x̂),
 * B = vBatchMean / N - mean(gi) (per channel), computed a step at a time.
 */
const backward = (dOut: tf.Tensor, dMean: tf.Tensor, dVar: tf.Tensor, [x, weight, bias, scale]: tf.Tensor[], eps: number): tf.Tensor[] => {
  const [xIn, w] = [x as tf.Tensor, weight as tf.Tensor]
  const n = xIn.shape[0] as number
  const { normalised, slope, invStd } = recompute(xIn, w, bias as tf.Tensor, eps)
  const vScale = tf.tidy(() => tf.sum(tf.mul(dOut, normalised), 0))
  const vShift = tf.sum(dOut, 0)
  const gi = tf.tidy(() => tf.mul(dOut, tf.mul(scale as tf.Tensor, invStd)))
  const [a, b] = tf.tidy(() => [tf.sub(tf.mul(tf.div(dVar, invStd), 2 / Math.max(n - 1, 1)), tf.mean(tf.mul(gi, normalised), 0)), tf.sub(tf.div(dMean, n), tf.mean(gi, 0))])
  const vS = tf.tidy(() => tf.add(tf.add(gi, tf.mul(normalised, a as tf.Tensor)), b as tf.Tensor))
  tf.dispose([gi, normalised, invStd, a as tf.Tensor, b as tf.Tensor])
  const vZ = tf.mul(vS, slope)
  tf.dispose([vS, slope])
  const vX = tf.tidy(() => tf.matMul(vZ as tf.Tensor2D, tf.transpose(w) as tf.Tensor2D))
  const vWeight = tf.tidy(() => tf.matMul(tf.transpose(xIn) as tf.Tensor2D, vZ as tf.Tensor2D))
  const vBias = tf.sum(vZ, 0)
  vZ.dispose()
  return [vX, vWeight, vBias, vScale, vShift]
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
    const z = preActivation(xs, w, b)
    const s = softplus(z)
    z.dispose()
    const { mean, variance } = batchMoments(s)
    const out = tf.tidy(() => tf.add(tf.mul(tf.sub(s, mean), tf.mul(tf.rsqrt(tf.add(variance, eps)), sc)), sh))
    s.dispose()
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
