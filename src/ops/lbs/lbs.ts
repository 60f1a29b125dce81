/**
 * lbs: out[b, n] = (sum_j weights[n, j] transforms[b, j])[:3, :] . (points[b, n], 1)
 * Shapes: points [B, N, 3], weights [N, J], transforms [B, J, 4, 4] -> out [B, N, 3]
 * (the bottom row of each transform is ignored).
 * Bilinear in (weights, transforms) and affine in points: smooth everywhere.
 * tfjs derives the gradient; the blend is one plain matMul [N, J] x [J, B*12].
 */
import * as tf from "@tensorflow/tfjs"
import type { OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { lbsReference } from "./lbs.ref.ts"
import { lbsSpec } from "./spec.ts"

/** Skin points [B, N, 3] with weights [N, J] and transforms [B, J, 4, 4]. */
export const skin = (points: tf.Tensor, weights: tf.Tensor, transforms: tf.Tensor): tf.Tensor => {
  const [b, j] = transforms.shape as [number, number, number, number]
  const n = weights.shape[0] as number
  const top = tf.slice(transforms, [0, 0, 0, 0], [b, j, 3, 4])
  const perJoint = tf.reshape(tf.transpose(tf.reshape(top, [b, j, 12]), [1, 0, 2]), [j, b * 12])
  const blended = tf.matMul(weights as tf.Tensor2D, perJoint as tf.Tensor2D) // [N, B*12]
  const perPoint = tf.transpose(tf.reshape(blended, [n, b, 3, 4]), [1, 0, 2, 3]) // [B, N, 3, 4]
  const linear = tf.slice(perPoint, [0, 0, 0, 0], [b, n, 3, 3])
  const offset = tf.reshape(tf.slice(perPoint, [0, 0, 0, 3], [b, n, 3, 1]), [b, n, 3])
  return tf.add(tf.sum(tf.mul(linear, tf.reshape(points, [b, n, 1, 3])), 3), offset)
}

export const lbs: OpDef<typeof lbsSpec> = defineOpDef({
  spec: lbsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ points, weights, transforms }) => ({ out: skin(points, weights, transforms) })
  },
  reference: lbsReference
})
