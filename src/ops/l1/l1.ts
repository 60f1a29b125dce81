/**
 * l1: out = mean(|prediction - target|).
 * Shapes: prediction [...S], target [...S] -> out [] (scalar).
 * Not differentiable where prediction = target (the gradient uses sign(0) = 0 there, as tfjs).
 * On the cpu and wasm backends forward and backward are one pass each over the host values, only
 * over the box where the values differ when the input is an [H, W, C] image (zero elsewhere);
 * on webgpu tfjs ops.
 */
import * as tf from "@tensorflow/tfjs"
import type { Box } from "../../metrics/imageBox.ts"
import { differingBox, isEmptyBox } from "../../metrics/imageBox.ts"
import type { CustomKernel, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { hostScalar, hostValues, onHost, paddedTensor } from "../host.ts"
import { l1Spec } from "./spec.ts"

interface HostPair {
  readonly prediction: Float32Array
  readonly target: Float32Array
  /** For an [H, W, C] image, the box where the values differ (the gradient is zero elsewhere); else the whole array. */
  readonly box: Box | undefined
}

const hostPair = (prediction: tf.Tensor, target: tf.Tensor): HostPair => {
  const p = hostValues(prediction)
  const t = hostValues(target)
  if (prediction.rank !== 3) return { prediction: p, target: t, box: undefined }
  const [h, w, c] = prediction.shape as [number, number, number]
  return { prediction: p, target: t, box: differingBox(p, t, h, w, c) }
}

/** Flat ranges [start, end) of the values that can differ: the box's rows, or everything. */
const rangesOf = (pair: HostPair, shape: ReadonlyArray<number>): ReadonlyArray<readonly [number, number]> => {
  const box = pair.box
  if (box === undefined) return [[0, pair.prediction.length]]
  const [, w, c] = shape as [number, number, number]
  return Array.from({ length: box.y1 - box.y0 }, (_, i) => [((box.y0 + i) * w + box.x0) * c, ((box.y0 + i) * w + box.x1) * c] as const)
}

/** sign(prediction - target) * g over the ranges, packed one after another. */
const signs = (pair: HostPair, ranges: ReadonlyArray<readonly [number, number]>, g: number): Float32Array => {
  const out = new Float32Array(ranges.reduce((s, [a, b]) => s + b - a, 0))
  let o = 0
  for (const [start, end] of ranges) for (let i = start; i < end; i++) out[o++] = Math.sign((pair.prediction[i] as number) - (pair.target[i] as number)) * g
  return out
}

const kernel: CustomKernel<"prediction" | "target", "out", Record<string, never>, HostPair | undefined> = {
  _tag: "Custom",
  forward: ({ prediction, target }) => {
    if (!onHost()) return { outputs: { out: tf.mean(tf.abs(tf.sub(prediction, target))) }, saved: [], aux: undefined }
    const pair = hostPair(prediction, target)
    let sum = 0
    for (const [start, end] of rangesOf(pair, prediction.shape)) for (let i = start; i < end; i++) sum += Math.abs((pair.prediction[i] as number) - (pair.target[i] as number))
    return { outputs: { out: tf.scalar(sum / prediction.size) }, saved: [], aux: pair }
  },
  backward: ({ inputs: { prediction, target }, aux, grads }) => {
    if (aux === undefined) {
      const vPrediction = tf.mul(tf.sign(tf.sub(prediction, target)), tf.div(grads.out, prediction.size))
      return { vPrediction, vTarget: tf.neg(vPrediction) }
    }
    const g = hostScalar(grads.out) / prediction.size
    const values = signs(aux, rangesOf(aux, prediction.shape), g)
    const vPrediction = aux.box === undefined ? tf.tensor(values, prediction.shape) : isEmptyBox(aux.box) ? tf.zerosLike(prediction) : paddedTensor(values, aux.box, prediction.shape as [number, number, number])
    return { vPrediction, vTarget: tf.neg(vPrediction) }
  }
}

export const l1: OpDef<typeof l1Spec> = defineOpDef({ spec: l1Spec, kernel: kernel as CustomKernel<"prediction" | "target", "out", Record<string, never>, unknown> })
