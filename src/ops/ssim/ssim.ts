/**
 * ssim: with mu = G * x (Gaussian window G, zero padding, per channel), sigma_xy = G * (x y) - mu_x mu_y,
 *   map = ((2 mu_x mu_y + C1)(2 sigma_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2)),
 *   out = mean(map), loss = 1 - out. C1 = 0.01^2, C2 = 0.03^2 (images in [0, 1]).
 * Shapes: prediction, target [H, W, C] -> out, loss [] (scalars). Smooth everywhere (C1, C2 > 0).
 * The window is applied separably with conv2d, channels as the batch.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { ssimSpec } from "./spec.ts"
import { C1, C2, gaussianWindow } from "../../metrics/ssimWindow.ts"

/** G * x for x [H, W, C]: a vertical then a horizontal pass, each channel separately. */
const blur = (x: tf.Tensor, window: Float64Array): tf.Tensor => {
  const n = window.length
  const planes = tf.expandDims(tf.transpose(x, [2, 0, 1]), 3) as tf.Tensor4D
  const vertical = tf.tensor4d(Float32Array.from(window), [n, 1, 1, 1])
  const horizontal = tf.tensor4d(Float32Array.from(window), [1, n, 1, 1])
  const blurred = tf.conv2d(tf.conv2d(planes, vertical, 1, "same"), horizontal, 1, "same")
  return tf.transpose(tf.squeeze(blurred, [3]), [1, 2, 0])
}

export const ssim: ResolvedOpDef<typeof ssimSpec> = defineOpDef({
  spec: ssimSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ prediction: x, target: y }, a) => {
      const w = gaussianWindow(a.window, a.sigma)
      const muX = blur(x, w)
      const muY = blur(y, w)
      const muXY = tf.mul(muX, muY)
      const muX2 = tf.square(muX)
      const muY2 = tf.square(muY)
      const sigmaX2 = tf.sub(blur(tf.square(x), w), muX2)
      const sigmaY2 = tf.sub(blur(tf.square(y), w), muY2)
      const sigmaXY = tf.sub(blur(tf.mul(x, y), w), muXY)
      const numerator = tf.mul(tf.add(tf.mul(muXY, 2), C1), tf.add(tf.mul(sigmaXY, 2), C2))
      const denominator = tf.mul(tf.add(tf.add(muX2, muY2), C1), tf.add(tf.add(sigmaX2, sigmaY2), C2))
      const out = tf.mean(tf.div(numerator, denominator))
      return { out, loss: tf.sub(1, out) }
    }
  }
})
