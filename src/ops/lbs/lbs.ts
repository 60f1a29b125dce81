/**
 * lbs: out[b, n] = (sum_j weights[n, j] transforms[b, j])[:3, :] . (points[b, n], 1)
 * Shapes: points [B, N, 3], weights [N, J], transforms [B, J, 4, 4] -> out [B, N, 3]
 * (the bottom row of each transform is ignored).
 * Bilinear in (weights, transforms) and affine in points: smooth everywhere.
 * tfjs derives the gradient (see skin for how the work is laid out).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { lbsSpec } from "./spec.ts"

/** Constant [16, 9] and [16, 3] matrices picking the 3x3 part and the translation of a row-major 4x4. */
const picks = (): { rotation: tf.Tensor2D; translation: tf.Tensor2D } => {
  const rotation = new Float32Array(16 * 9)
  const translation = new Float32Array(16 * 3)
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) rotation[(4 * r + c) * 9 + 3 * r + c] = 1
    translation[(4 * r + 3) * 3 + r] = 1
  }
  return { rotation: tf.tensor2d(rotation, [16, 9]), translation: tf.tensor2d(translation, [16, 3]) }
}

/** [B, J, 4, 4] -> [N, B, width]: the picked part of every joint's transform, blended by the weights. */
const blend = (weights: tf.Tensor, flat: tf.Tensor, pick: tf.Tensor2D, b: number, j: number): tf.Tensor => {
  const width = pick.shape[1]
  const parts = tf.reshape(tf.transpose(tf.reshape(tf.matMul(flat as tf.Tensor2D, pick), [b, j, width]), [1, 0, 2]), [j, b * width])
  return tf.reshape(tf.matMul(weights as tf.Tensor2D, parts as tf.Tensor2D), [weights.shape[0] as number, b, width])
}

/**
 * Skin points [B, N, 3] with weights [N, J] and transforms [B, J, 4, 4].
 * The 3x3 parts and the translations are picked by constant matMuls (slices
 * are several times slower on wasm, and gave wrong gradients there), blended
 * by two plain matMuls with the weights, and applied by a broadcast product and
 * a sum (a batched 3x3 matMul over N would exceed WebGPU's dispatch limits
 * beyond 65,535 points).
 */
export const skin = (points: tf.Tensor, weights: tf.Tensor, transforms: tf.Tensor): tf.Tensor => {
  const [b, j] = transforms.shape as [number, number, number, number]
  const n = weights.shape[0] as number
  const flat = tf.reshape(transforms, [b * j, 16])
  const { rotation, translation } = picks()
  const linear = tf.reshape(tf.transpose(blend(weights, flat, rotation, b, j), [1, 0, 2]), [b * n, 3, 3])
  const offset = tf.transpose(blend(weights, flat, translation, b, j), [1, 0, 2]) // [B, N, 3]
  const moved = tf.sum(tf.mul(linear, tf.reshape(points, [b * n, 1, 3])), -1)
  return tf.add(tf.reshape(moved, [b, n, 3]), offset)
}

export const lbs: ResolvedOpDef<typeof lbsSpec> = defineOpDef({
  spec: lbsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ points, weights, transforms }) => ({ out: skin(points, weights, transforms) })
  }
})
