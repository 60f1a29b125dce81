/**
 * The explicit gradient of out = xhat * scale + shift, xhat = (rows - m) * invStd, for rows [n, C]
 * and per-channel m, invStd [C] (batchNorm's and denseBlock's): with dxhat = d out * scale,
 *   vShift = sum(d out), vScale = sum(d out * xhat),
 *   training (m, invStd the batch's):   vRows = invStd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))
 *                                             = invStd scale (d out - vShift / n - xhat vScale / n),
 *   evaluation (m, invStd given):        vRows = invStd scale d out.
 * Each [n, C] temporary is freed as soon as the next one exists (at most two alive at once): at
 * 174k rows of 128 channels one is 89 MB.
 */
import * as tf from "@tensorflow/tfjs"

export interface NormalisedGrads {
  readonly vRows: tf.Tensor
  readonly vScale: tf.Tensor
  readonly vShift: tf.Tensor
}

/** `next(t)`, with t freed once it has run. */
const thenFree = (t: tf.Tensor, next: (t: tf.Tensor) => tf.Tensor): tf.Tensor => {
  const result = tf.tidy(() => next(t))
  t.dispose()
  return result
}

export const normalisedGrads = (dOut: tf.Tensor, xhat: tf.Tensor, invStd: tf.Tensor, scale: tf.Tensor, train: boolean): NormalisedGrads => {
  const vShift = tf.sum(dOut, 0)
  const vScale = tf.tidy(() => tf.sum(tf.mul(dOut, xhat), 0))
  const gain = tf.mul(invStd, scale)
  const n = xhat.shape[0] as number
  const vRows = train
    ? thenFree(
        tf.tidy(() => tf.sub(dOut, tf.div(vShift, n))),
        (centred) => thenFree(tf.tidy(() => tf.sub(centred, tf.mul(xhat, tf.div(vScale, n)))), (rows) => tf.mul(rows, gain))
      )
    : tf.mul(dOut, gain)
  gain.dispose()
  return { vRows, vScale, vShift }
}
