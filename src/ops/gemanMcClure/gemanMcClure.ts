/**
 * gemanMcClure (SMPLify's robust keypoint reprojection term):
 *   out = sum_{b,k} c_bk^2 rho(|p_{b, points[k]} - t_bk|^2) / B,   rho(r2) = sigma^2 r2 / (r2 + sigma^2)
 * (rho grows like r2 for small residuals and saturates at sigma^2 for outliers).
 * Shapes: predicted [B, M, 2], targets [B, K, 2], confidence [B, K] -> out [] (mean over B of the sum
 * over keypoints). Smooth everywhere. tfjs derives the gradient; the gather of the K predicted points
 * is a product with a constant one-hot [M, K] matrix (a gather's gradient is a scatter, slow on wasm).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { gemanMcClureSpec } from "./spec.ts"

/** [B, M, 2] -> [B, K, 2]: the points chosen by `points`. */
export const pickPoints = (predicted: tf.Tensor, points: ReadonlyArray<number>): tf.Tensor => {
  const [b, m] = predicted.shape as [number, number, number]
  const k = points.length
  const onehot = new Float32Array(m * k)
  points.forEach((p, j) => (onehot[p * k + j] = 1))
  const columns = tf.reshape(tf.transpose(predicted, [0, 2, 1]), [b * 2, m])
  return tf.transpose(tf.reshape(tf.matMul(columns as tf.Tensor2D, tf.tensor2d(onehot, [m, k])), [b, 2, k]), [0, 2, 1])
}

export const gemanMcClure: ResolvedOpDef<typeof gemanMcClureSpec> = defineOpDef({
  spec: gemanMcClureSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ predicted, targets, confidence }, a) => {
      const r2 = tf.sum(tf.square(tf.sub(pickPoints(predicted, a.points), targets)), -1) // [B, K]
      const s2 = a.sigma * a.sigma
      const rho = tf.div(tf.mul(r2, s2), tf.add(r2, s2))
      return { out: tf.div(tf.sum(tf.mul(tf.square(confidence), rho)), predicted.shape[0] as number) }
    }
  }
})
