/**
 * The adjoint of conv2d (TensorFlow's Conv2DBackpropInput) written as a plain stride-1 conv2d:
 *   dx[b, y, x, i] = sum_{kh, kw, o} dy[b, oy, ox, o] W[kh, kw, i, o]  over oy*s + kh - top = y, ox*s + kw - left = x
 * equals the valid correlation of dy dilated by the stride (s - 1 zeros between rows and columns)
 * and padded by K - 1 - top (left) with W flipped in space and its channels swapped.
 * Shapes: dy [B, OH, OW, O], filter [KH, KW, I, O] -> [B, H, W, I] (H, W from `inputShape`).
 * Used because tfjs wasm's Conv2DBackpropInput kernel is a plain loop, many times slower than its
 * XNNPACK Conv2D (the dilation wastes s^2 of the work and still wins). Linear, so smooth everywhere;
 * tfjs differentiates it through pad, reshape, flipFilter (flipFilter.ts) and conv2d.
 */
import * as tf from "@tensorflow/tfjs"
import { flipFilter } from "./flipFilter.ts"

/** Axis 1 of t [A, N, M, C] spread s apart with zeros between: [A, (N-1)s+1, M, C] (rank-4 steps only: tfjs-webgpu pads at most rank 4). */
const spreadAxis1 = (t: tf.Tensor4D, s: number): tf.Tensor4D => {
  if (s === 1) return t
  const [a, n, m, c] = t.shape
  const spaced = tf.reshape(tf.pad(tf.reshape(t, [a, n, 1, m * c]), [[0, 0], [0, 0], [0, s - 1], [0, 0]]), [a, n * s, m, c]) as tf.Tensor4D
  return tf.slice(spaced, [0, 0, 0, 0], [-1, (n - 1) * s + 1, -1, -1])
}

/** Rows and columns of t [B, H, W, C] spread s apart with zeros between: [B, (H-1)s+1, (W-1)s+1, C]. */
const dilate = (t: tf.Tensor4D, s: readonly [number, number]): tf.Tensor4D => {
  const rows = spreadAxis1(t, s[0])
  const [b, h, w, c] = rows.shape
  const columnsFirst = tf.reshape(rows, [b * h, w, 1, c]) as tf.Tensor4D
  return tf.reshape(spreadAxis1(columnsFirst, s[1]), [b, h, (w - 1) * s[1] + 1, c]) as tf.Tensor4D
}

/** Pad (positive) or crop (negative) the two spatial axes of t by [before, after] each. */
const padOrCrop = (t: tf.Tensor4D, rows: readonly [number, number], cols: readonly [number, number]): tf.Tensor4D => {
  const padded = tf.pad(t, [[0, 0], [Math.max(0, rows[0]), Math.max(0, rows[1])], [Math.max(0, cols[0]), Math.max(0, cols[1])], [0, 0]])
  const [, h, w] = padded.shape
  const top = Math.max(0, -rows[0])
  const left = Math.max(0, -cols[0])
  return tf.slice(padded, [0, top, left, 0], [-1, h - top - Math.max(0, -rows[1]), w - left - Math.max(0, -cols[1]), -1])
}

export interface ConvGeometry {
  /** The conv2d input's shape [B, H, W, I]. */
  readonly inputShape: readonly [number, number, number, number]
  readonly strides: readonly [number, number]
  /** The conv2d's padding before the first row and column. */
  readonly top: number
  readonly left: number
}

export const conv2dAdjoint = (dy: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D =>
  tf.tidy(() => {
    const [kh, kw] = filter.shape
    const [, h, w] = g.inputShape
    const spread = dilate(dy, g.strides)
    const rowsBefore = kh - 1 - g.top
    const colsBefore = kw - 1 - g.left
    const padded = padOrCrop(
      spread,
      [rowsBefore, h + kh - 1 - rowsBefore - spread.shape[1]],
      [colsBefore, w + kw - 1 - colsBefore - spread.shape[2]]
    )
    return tf.conv2d(padded, flipFilter(filter), 1, "valid")
  })

/** The padding conv2d applies before the first row and column, as tfjs computes it. */
export const convGeometry = (inputShape: readonly [number, number, number, number], filterShape: readonly number[], strides: readonly [number, number], pad: "same" | "valid" | number, dimRoundingMode?: "floor" | "round" | "ceil"): ConvGeometry => {
  const info = tf.backend_util.computeConv2DInfo([...inputShape], filterShape as [number, number, number, number], [...strides] as [number, number], 1, pad, dimRoundingMode)
  return { inputShape, strides, top: info.padInfo.top, left: info.padInfo.left }
}
