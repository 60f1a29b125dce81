/**
 * denseBlock's kernel on WebAssembly SIMD for the wasm backend (kernels: assembly/kernel.ts; rows
 * split over two threads when the runner has them: runner.ts). Same math and memory policy as the
 * tfjs kernel (denseBlockTf.ts: the forward keeps nothing, the backward recomputes z from x), in
 * fewer passes over the [N, O] rows:
 *   forward:  z = x · weight + bias, s = softplus(z) and the channel sums of s (one pass, four rows
 *             at a time); the squared deviations from the mean; out = s · gain + offset.
 *   backward: the same first pass also keeping sigmoid(z); the squared deviations; the sums of
 *             vOut and vOut x̂; vZ = sigmoid(z) (a vOut + b x̂ + c) with its channel sums (vBias);
 *             vX = vZ weightᵀ and vWeight = xᵀ vZ (per-thread partials, added here).
 * with x̂ = (s - m) r and, from batchNorm's explicit gradient (normalisedGrads.ts) and the
 * statistics outputs' gradients (n rows, g = scale r, u = 2 vBatchVar / (n - 1)):
 *   a = g, b = u / r - g vScale / n, c = vBatchMean / n + u (m - m_batch) - g vShift / n
 * (the vScale and vShift terms in training only; m - m_batch is 0 in training).
 * Per-channel statistics are added in float64 here from each thread's float32 partial sums.
 * Channels are padded to a multiple of 4 with zero weights, scales and gradients, so padded
 * channels give zero gradients. Tensors are copied into the runner's memory and back (the
 * tfjs-wasm heap is not shared; layout.ts copies without allocating [N, O] arrays).
 */
import * as tf from "@tensorflow/tfjs"
import type { CustomKernel } from "../../contract.ts"
import type { DenseBlockSaved } from "../denseBlockTf.ts"
import type { denseBlockSpec } from "../spec.ts"
import { place, roundUp4, sumParts, tensorFrom, valuesOf, writeMatrix, zero } from "./layout.ts"
import type { DenseRunner } from "./runner.ts"

interface Dims {
  readonly n: number
  readonly k: number
  readonly o: number
  /** o rounded up to 4: the row length of every [n, o] buffer. */
  readonly op: number
}

const dimsOf = (x: tf.Tensor, weight: tf.Tensor): Dims => {
  const [n, k] = x.shape as [number, number]
  const o = weight.shape[1] as number
  return { n, k, o, op: roundUp4(o) }
}

/** A [o] vector's values padded to `op` with `fill`. */
const padded = (t: tf.Tensor, op: number, fill = 0): Float64Array => {
  const out = new Float64Array(op).fill(fill)
  out.set(t.dataSync())
  return out
}

const writeVector = (heap: Float32Array, at: number, values: ArrayLike<number>): void => heap.set(values, at / 4)

/** The regions every pass shares: inputs, the rows s, and the per-thread sums. */
const common = (d: Dims) => ({ x: d.n * d.k, w: d.k * d.op, bias: d.op, s: d.n * d.op, sums: 2 * d.op, squares: 2 * d.op, centre: d.op })

/** Copy x, weight and bias in and run the first pass: s = softplus(x · weight + bias) (and sigmoid into `slope` when not 0), channel sums. */
const firstPass = (runner: DenseRunner, at: ReturnType<typeof place<keyof ReturnType<typeof common>>>, d: Dims, x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, slope: number): void => {
  const heap = runner.heap()
  writeMatrix(heap, at.x, valuesOf(x), d.n, d.k, d.k)
  writeMatrix(heap, at.w, valuesOf(weight), d.k, d.o, d.op)
  writeVector(heap, at.bias, padded(bias, d.op))
  zero(heap, at.sums, 2 * d.op)
  runner.rows("linearSoftplusRows", d.n, (part) => [at.x, d.k, d.k, at.w, at.bias, at.s, slope, at.sums + part * d.op * 4, d.op])
}

/** The batch mean and biased variance of s per channel (the variance from squared deviations: a second pass). */
const batchMoments = (runner: DenseRunner, at: { s: number; sums: number; squares: number; centre: number }, d: Dims) => {
  const heap = runner.heap()
  const mean = sumParts(heap, at.sums, d.op * 4, d.op).map((sum) => sum / d.n)
  writeVector(heap, at.centre, mean)
  zero(heap, at.squares, 2 * d.op)
  runner.rows("squaredDeviations", d.n, (part) => [at.s, at.centre, at.squares + part * d.op * 4, d.op])
  const biased = sumParts(heap, at.squares, d.op * 4, d.op).map((sq) => sq / d.n)
  return { mean, biased }
}

/** The centre and 1 / sqrt(v + eps) that normalise s: the batch's in training, the running ones in evaluation. */
const normaliser = (train: boolean, moments: { mean: Float64Array; biased: Float64Array }, runningMean: tf.Tensor, runningVar: tf.Tensor, eps: number, op: number) => {
  const centre = train ? moments.mean : padded(runningMean, op)
  const variance = train ? moments.biased : padded(runningVar, op, 1)
  return { centre, invStd: variance.map((v) => 1 / Math.sqrt(v + eps)) }
}

const vector = (values: Float64Array, o: number): tf.Tensor => tf.tensor1d(Float32Array.from(values.subarray(0, o)))

const forward = (runner: DenseRunner): CustomKernel<typeof denseBlockSpec, DenseBlockSaved>["forward"] => ({ x, weight, bias, runningMean, runningVar, scale, shift }, { eps }, ctx) => {
  const train = ctx.mode === "train"
  const d = dimsOf(x, weight)
  const at = place(runner, { ...common(d), gain: d.op, offset: d.op })
  firstPass(runner, at, d, x, weight, bias, 0)
  const moments = batchMoments(runner, at, d)
  const { centre, invStd } = normaliser(train, moments, runningMean, runningVar, eps, d.op)
  const scales = padded(scale, d.op)
  const shifts = padded(shift, d.op)
  const gain = invStd.map((r, c) => r * (scales[c] as number))
  const heap = runner.heap()
  writeVector(heap, at.gain, gain)
  writeVector(heap, at.offset, gain.map((g, c) => (shifts[c] as number) - (centre[c] as number) * g))
  runner.rows("affineRows", d.n, () => [at.s, at.gain, at.offset, at.s, d.op, d.op, d.op])
  const out = tensorFrom(heap, at.s, d.n, d.o, d.op)
  const unbiased = moments.biased.map((v) => (v * d.n) / Math.max(d.n - 1, 1))
  return { outputs: { out, batchMean: vector(moments.mean, d.o), batchVar: vector(unbiased, d.o) }, saved: { train } }
}

/** Per-channel a, b, c of vZ = sigmoid(z) (a vOut + b x̂ + c) (header). */
const preActivationCoefficients = (train: boolean, d: Dims, sums: { vShift: Float64Array; vScale: Float64Array }, stats: { centre: Float64Array; invStd: Float64Array; mean: Float64Array }, scale: Float64Array, vBatchMean: Float64Array, vBatchVar: Float64Array) => {
  const n = d.n
  const a = stats.invStd.map((r, c) => r * (scale[c] as number))
  const perVar = vBatchVar.map((v) => (2 * v) / Math.max(n - 1, 1))
  const b = a.map((g, c) => (perVar[c] as number) / (stats.invStd[c] as number) - (train ? (g * (sums.vScale[c] as number)) / n : 0))
  const cc = a.map((g, c) => (vBatchMean[c] as number) / n + (perVar[c] as number) * ((stats.centre[c] as number) - (stats.mean[c] as number)) - (train ? (g * (sums.vShift[c] as number)) / n : 0))
  return { a, b, c: cc }
}

/** weightᵀ as [op, kp] rows (kp = k rounded up to 4), zero-padded. */
const transposedWeight = (weight: Float32Array, d: Dims): Float32Array => {
  const kp = roundUp4(d.k)
  const out = new Float32Array(d.op * kp)
  for (let i = 0; i < d.k; i++) for (let c = 0; c < d.o; c++) out[c * kp + i] = weight[i * d.o + c] as number
  return out
}

const backward = (runner: DenseRunner): CustomKernel<typeof denseBlockSpec, DenseBlockSaved>["backward"] => ({ inputs: { x, weight, bias, runningMean, runningVar, scale }, saved: { train }, grads, attrs: { eps } }) => {
  const d = dimsOf(x, weight)
  const kp = roundUp4(d.k)
  const vec = d.op * 4
  const at = place(runner, { ...common(d), slope: d.n * d.op, g: d.n * d.op, invStd: d.op, offset: d.op, sumG: 2 * d.op, sumGX: 2 * d.op, a: d.op, b: d.op, c: d.op, vBias: 2 * d.op, wt: d.op * kp, vX: d.n * d.k, vW: 2 * d.k * d.op })
  firstPass(runner, at, d, x, weight, bias, at.slope)
  const moments = batchMoments(runner, at, d)
  const { centre, invStd } = normaliser(train, moments, runningMean, runningVar, eps, d.op)
  const heap = runner.heap()
  writeMatrix(heap, at.g, valuesOf(grads.out), d.n, d.o, d.op)
  writeVector(heap, at.invStd, invStd)
  writeVector(heap, at.offset, centre.map((m, c) => -m * (invStd[c] as number)))
  zero(heap, at.sumG, 4 * d.op)
  runner.rows("gradientSums", d.n, (part) => [at.s, at.g, at.invStd, at.offset, at.sumG + part * vec, at.sumGX + part * vec, d.op])
  const sums = { vShift: sumParts(heap, at.sumG, vec, d.op), vScale: sumParts(heap, at.sumGX, vec, d.op) }
  const coefficients = preActivationCoefficients(train, d, sums, { centre, invStd, mean: moments.mean }, padded(scale, d.op), padded(grads.batchMean, d.op), padded(grads.batchVar, d.op))
  writeVector(heap, at.a, coefficients.a)
  writeVector(heap, at.b, coefficients.b)
  writeVector(heap, at.c, coefficients.c)
  zero(heap, at.vBias, 2 * d.op)
  runner.rows("preActivationGrads", d.n, (part) => [at.s, at.slope, at.g, at.invStd, at.offset, at.a, at.b, at.c, at.vBias + part * vec, d.op])
  heap.set(transposedWeight(valuesOf(weight), d), at.wt / 4)
  zero(heap, at.vW, 2 * d.k * d.op)
  runner.rows("matmulRows", d.n, () => [at.g, d.op, d.op, at.wt, kp, 0, at.vX, d.k, d.k])
  runner.rows("transposedProduct", d.n, (part) => [at.x, d.k, d.k, at.g, d.op, d.op, at.vW + part * d.k * vec, d.op])
  const vW = sumParts(heap, at.vW, d.k * vec, d.k * d.op)
  const vWeight = new Float32Array(d.k * d.o)
  for (let i = 0; i < d.k; i++) for (let c = 0; c < d.o; c++) vWeight[i * d.o + c] = vW[i * d.op + c] as number
  return {
    vX: tensorFrom(heap, at.vX, d.n, d.k, d.k),
    vWeight: tf.tensor2d(vWeight, [d.k, d.o]),
    vBias: vector(sumParts(heap, at.vBias, vec, d.op), d.o),
    vScale: vector(sums.vScale, d.o),
    vShift: vector(sums.vShift, d.o)
  }
}

/** The kernel on `runner`'s memory and threads. */
export const denseBlockWasm = (runner: DenseRunner): CustomKernel<typeof denseBlockSpec, DenseBlockSaved> => ({ _tag: "Custom", forward: forward(runner), backward: backward(runner) })
