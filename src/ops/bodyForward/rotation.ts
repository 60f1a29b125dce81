/**
 * Rodrigues' formula on tfjs tensors: axis-angle r [..., 3] -> rotation [..., 3, 3].
 *   R = cos(t) I + a [r]x + b r r^T,  t = |r|,  a = sin(t) / t,  b = (1 - cos t) / t^2 = 2 sin^2(t/2) / t^2
 * Near t = 0 (t^2 < 1e-6) a and b come from their Taylor series (a = 1 - t^2/6 + t^4/120,
 * b = 1/2 - t^2/24 + t^4/720) and cos(t) = 1 - b t^2, so R and its gradient are finite and
 * exact at t = 0 and at t = 1e-8. The exact branch is evaluated at a safe t (1 where the series
 * is used), so its gradient never produces NaN. The branches are blended by a 0/1 step mask
 * (tf.step, whose gradient is zero; tfjs has no gradient for comparisons). Smooth everywhere.
 */
import * as tf from "@tensorflow/tfjs"

const SERIES_BELOW = 1e-6

export const rodrigues = (r: tf.Tensor): tf.Tensor => {
  const lead = r.shape.slice(0, -1)
  const theta2 = tf.sum(tf.square(r), -1, true) // [..., 1]
  const small = tf.step(tf.sub(SERIES_BELOW, theta2)) // 1 where the series is used
  const pick = (series: tf.Tensor, exact: tf.Tensor) => tf.add(tf.mul(small, series), tf.mul(tf.sub(1, small), exact))
  const safe2 = pick(tf.onesLike(theta2), theta2)
  const safe = tf.sqrt(safe2)
  const half = tf.sin(tf.div(safe, 2))
  const aExact = tf.div(tf.sin(safe), safe)
  const bExact = tf.div(tf.mul(2, tf.square(half)), safe2)
  const aSeries = tf.add(tf.sub(1, tf.div(theta2, 6)), tf.div(tf.square(theta2), 120))
  const bSeries = tf.add(tf.sub(0.5, tf.div(theta2, 24)), tf.div(tf.square(theta2), 720))
  const a = pick(aSeries, aExact)
  const b = pick(bSeries, bExact)
  const cos = tf.sub(1, tf.mul(b, theta2))
  const [x, y, z] = tf.split(r, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor]
  const zero = tf.zerosLike(x)
  const skew = tf.reshape(tf.concat([zero, tf.neg(z), y, z, zero, tf.neg(x), tf.neg(y), x, zero], -1), [...lead, 3, 3])
  const outer = tf.mul(tf.expandDims(r, -1), tf.expandDims(r, -2))
  const eye = tf.reshape(tf.eye(3), [...lead.map(() => 1), 3, 3])
  const e = (t: tf.Tensor) => tf.expandDims(t, -1) // [..., 1] -> [..., 1, 1]
  return tf.add(tf.add(tf.mul(e(cos), eye), tf.mul(e(a), skew)), tf.mul(e(b), outer))
}
