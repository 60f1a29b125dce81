/**
 * l1: out = mean(|prediction - target|).
 * Shapes: prediction [...S], target [...S] -> out [] (scalar).
 * Not differentiable where prediction = target (the gradient uses sign(0) = 0 there, as tfjs).
 * On the cpu and wasm backends forward and backward are one pass each over the host values, for an
 * [H, W, C] image only over the box where the values differ (the gradient is zero elsewhere); on
 * webgpu tfjs ops.
 */
import * as tf from "@tensorflow/tfjs"
import { differingBox, isEmptyBox } from "../../metrics/imageBox.ts"
import type { CustomKernel, KernelTarget, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { HostBox } from "../host.ts"
import { hostReader, hostScalar, onHost, paddedTensor } from "../host.ts"
import { l1Spec } from "./spec.ts"

/** tfjs ops with the gradient sign(prediction - target) / n (tfjs's own derivative of abs is -1 at 0). */
const tfKernel: CustomKernel<typeof l1Spec> = {
  _tag: "Custom",
  forward: ({ prediction, target }) => ({ outputs: { out: tf.mean(tf.abs(tf.sub(prediction, target))) }, saved: {} }),
  backward: ({ inputs: { prediction, target }, grads }) => {
    const vPrediction = tf.mul(tf.sign(tf.sub(prediction, target)), tf.div(grads.out, prediction.size))
    return { vPrediction, vTarget: tf.neg(vPrediction) }
  }
}

/** Flat ranges [start, end) of the values that can differ: the box's rows of an [h, w, c] image, or everything. */
const rangesOf = (box: HostBox | undefined, shape: ReadonlyArray<number>, size: number): ReadonlyArray<readonly [number, number]> => {
  if (box === undefined) return [[0, size]]
  const [, w, c] = shape as [number, number, number]
  return Array.from({ length: Math.max(0, box.y1 - box.y0) }, (_, i) => [((box.y0 + i) * w + box.x0) * c, ((box.y0 + i) * w + box.x1) * c] as const)
}

/** sign(prediction - target) * g over the ranges, packed one after another. */
const signs = (p: Float32Array, t: Float32Array, ranges: ReadonlyArray<readonly [number, number]>, g: number): Float32Array => {
  const out = new Float32Array(ranges.reduce((s, [a, b]) => s + b - a, 0))
  let o = 0
  for (const [start, end] of ranges) for (let i = start; i < end; i++) out[o++] = Math.sign((p[i] as number) - (t[i] as number)) * g
  return out
}

/** The box where an image pair differs (image: rank 3), as saved numbers; `image` false for other ranks. */
type HostSaved = { readonly image: boolean; readonly y0: number; readonly y1: number; readonly x0: number; readonly x1: number }

const hostKernel = (): CustomKernel<typeof l1Spec, HostSaved> => {
  const read = hostReader()
  return {
    _tag: "Custom",
    forward: ({ prediction, target }) => {
      const p = read(prediction)
      const t = read(target)
      const box = prediction.rank === 3 ? differingBox(p, t, ...(prediction.shape as [number, number, number])) : undefined
      let sum = 0
      for (const [start, end] of rangesOf(box, prediction.shape, p.length)) for (let i = start; i < end; i++) sum += Math.abs((p[i] as number) - (t[i] as number))
      return { outputs: { out: tf.scalar(sum / prediction.size) }, saved: { image: box !== undefined, ...(box ?? { y0: 0, y1: 0, x0: 0, x1: 0 }) } }
    },
    backward: ({ inputs: { prediction, target }, saved, grads }) => {
      const g = hostScalar(grads.out) / prediction.size
      const box = saved.image ? { y0: saved.y0, y1: saved.y1, x0: saved.x0, x1: saved.x1 } : undefined
      const values = signs(read(prediction), read(target), rangesOf(box, prediction.shape, prediction.size), g)
      const vPrediction = box === undefined ? tf.tensor(values, prediction.shape) : isEmptyBox(box) ? tf.zerosLike(prediction) : paddedTensor(values, box, prediction.shape as [number, number, number])
      return { vPrediction, vTarget: tf.neg(vPrediction) }
    }
  }
}

export const l1: OpDef<typeof l1Spec> = defineOpDef({
  spec: l1Spec,
  kernel: { _tag: "PerBackend", select: (target: KernelTarget) => (onHost(target) ? hostKernel() : tfKernel) }
})
