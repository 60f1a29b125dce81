/**
 * SSIM composed of tfjs ops, for backends whose tensors live off the host (webgpu): the same math
 * as ssimHost.ts over the whole image, each blur a vertical and a horizontal conv2d per channel.
 */
import * as tf from "@tensorflow/tfjs"
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

interface Statistics {
  readonly map: tf.Tensor
  readonly dMuX: tf.Tensor
  readonly dMuY: tf.Tensor
  readonly dSquares: tf.Tensor
  readonly dProduct: tf.Tensor
}

const statistics = (x: tf.Tensor, y: tf.Tensor, window: Float64Array): Statistics => {
  const muX = blur(x, window)
  const muY = blur(y, window)
  const a1 = tf.add(tf.mul(tf.mul(muX, muY), 2), C1)
  const a2 = tf.add(tf.mul(tf.sub(blur(tf.mul(x, y), window), tf.mul(muX, muY)), 2), C2)
  const b1 = tf.add(tf.add(tf.square(muX), tf.square(muY)), C1)
  const b2 = tf.add(tf.add(tf.sub(blur(tf.square(x), window), tf.square(muX)), tf.sub(blur(tf.square(y), window), tf.square(muY))), C2)
  const map = tf.div(tf.mul(a1, a2), tf.mul(b1, b2))
  const mixed = tf.sub(tf.div(2, a1), tf.div(2, a2))
  const own = tf.sub(tf.div(2, b2), tf.div(2, b1))
  return {
    map,
    dMuX: tf.mul(map, tf.add(tf.mul(muY, mixed), tf.mul(muX, own))),
    dMuY: tf.mul(map, tf.add(tf.mul(muX, mixed), tf.mul(muY, own))),
    dSquares: tf.neg(tf.div(map, b2)),
    dProduct: tf.div(tf.mul(map, 2), a2)
  }
}

export const ssimValueTf = (x: tf.Tensor, y: tf.Tensor, windowSize: number, sigma: number): tf.Scalar => tf.tidy(() => tf.mean(statistics(x, y, gaussianWindow(windowSize, sigma)).map))

/** Gradients of g * mean(map) w.r.t. x and y (g a scalar tensor). */
export const ssimGradTf = (x: tf.Tensor, y: tf.Tensor, windowSize: number, sigma: number, g: tf.Tensor): { vPrediction: tf.Tensor; vTarget: tf.Tensor } =>
  tf.tidy(() => {
    const window = gaussianWindow(windowSize, sigma)
    const s = statistics(x, y, window)
    const scale = tf.div(g, x.size)
    const squares = tf.mul(blur(s.dSquares, window), 2)
    const product = blur(s.dProduct, window)
    return {
      vPrediction: tf.mul(scale, tf.add(blur(s.dMuX, window), tf.add(tf.mul(x, squares), tf.mul(y, product)))),
      vTarget: tf.mul(scale, tf.add(blur(s.dMuY, window), tf.add(tf.mul(y, squares), tf.mul(x, product))))
    }
  })
