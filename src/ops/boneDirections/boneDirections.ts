/**
 * boneDirections (a 3D cue for what 2D keypoints leave open: whether a limb points towards the
 * camera or away from it):
 *   out = sum_{b,k} c_bk |u_bk - t_bk|^2 / B,   u_bk = d_bk / sqrt(|d_bk|^2 + eps),
 *   d_bk = joints[b, to_k] - joints[b, from_k]
 * with t the target unit directions (e.g. from a detector's 3D landmarks) and c their confidences.
 * Shapes: joints [B, J, 3], targets [B, K, 3], confidence [B, K] -> out [] (mean over B of the sum
 * over bones). Smooth everywhere (eps = 1e-8 m^2 keeps a zero-length bone finite). tfjs derives the
 * gradient; the bone vectors are a product with a constant [K, J] difference matrix (gathers are
 * slow on wasm).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { BONE_EPSILON, boneDirectionsSpec } from "./spec.ts"

/** [B, J, 3] -> [B, K, 3]: joints[to] - joints[from] for each bone. */
const boneVectors = (joints: tf.Tensor, bones: ReadonlyArray<readonly [number, number]>): tf.Tensor => {
  const [b, j] = joints.shape as [number, number, number]
  const k = bones.length
  const difference = new Float32Array(k * j)
  bones.forEach(([from, to], n) => {
    difference[n * j + to]! += 1
    difference[n * j + from]! -= 1
  })
  const columns = tf.reshape(tf.transpose(joints, [1, 0, 2]), [j, b * 3])
  return tf.transpose(tf.reshape(tf.matMul(tf.tensor2d(difference, [k, j]), columns as tf.Tensor2D), [k, b, 3]), [1, 0, 2])
}

export const boneDirections: ResolvedOpDef<typeof boneDirectionsSpec> = defineOpDef({
  spec: boneDirectionsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ joints, targets, confidence }, a) => {
      const d = boneVectors(joints, a.bones)
      const unit = tf.div(d, tf.sqrt(tf.add(tf.sum(tf.square(d), -1, true), BONE_EPSILON)))
      const gap = tf.sum(tf.square(tf.sub(unit, targets)), -1) // [B, K]
      return { out: tf.div(tf.sum(tf.mul(confidence, gap)), joints.shape[0] as number) }
    }
  }
})
