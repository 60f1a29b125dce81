/**
 * conv2dTranspose with "same" padding as ONE stride-1 conv2d over the input (sub-pixel form):
 * output row o = q s + r (phase r in [0, s)) reads input rows q + j with filter row
 * i = (r + top) mod s + m s, m = floor((r + top) / s) - j, for the j where 0 <= i < K; every phase
 * reads a window of the same few offsets j, so a T x T conv2d (T = the union of the offsets) with
 * s^2 Co output channels (zero weights where a phase skips an offset) computes all phases at once,
 * and a reshape + transpose interleaves them into [H s, W s, Co]. K = 4, s = 2: a 3x3 conv with 4 Co
 * channels (36 multiply-adds per input pixel and output channel against 64 for the dilated form of
 * conv2d/adjoint.ts, on an input s^2 times smaller).
 * The combined filter is a constant 0/1 selection matrix times the filter, so tfjs differentiates
 * through matMul, pad, conv2d (input and filter gradients as runtime/wasmFixes.ts), reshape and transpose.
 * Shapes: x [H, W, Ci], filter [K, K, Co, Ci] -> [H s, W s, Co].
 */
import * as tf from "@tensorflow/tfjs"

/** One axis: the input offsets [first, last] of the window and, per phase and offset, the filter tap (or -1). */
export interface AxisTaps {
  readonly first: number
  readonly last: number
  /** taps[r][j - first]: filter index for phase r at offset j, -1 where none. */
  readonly taps: ReadonlyArray<ReadonlyArray<number>>
}

export const axisTaps = (kernel: number, stride: number, top: number): AxisTaps => {
  const phases = Array.from({ length: stride }, (_, r) => {
    const base = (r + top) % stride
    const centre = Math.floor((r + top) / stride)
    const count = base < kernel ? Math.ceil((kernel - base) / stride) : 0
    return { base, centre, count }
  })
  const used = phases.filter((p) => p.count > 0)
  const first = Math.min(...used.map((p) => p.centre - p.count + 1))
  const last = Math.max(...used.map((p) => p.centre))
  const taps = phases.map((p) =>
    Array.from({ length: last - first + 1 }, (_, a) => {
      const m = p.centre - (first + a)
      return m >= 0 && m < p.count ? p.base + m * stride : -1
    })
  )
  return { first, last, taps }
}

/** [T T s s Co Ci rows] x [K K] selection: row (a, b, rh, rw) picks filter tap (ih, iw) or nothing. */
const selection = (rows: AxisTaps, cols: AxisTaps, kernel: number, stride: number): tf.Tensor2D => {
  const th = rows.last - rows.first + 1
  const tw = cols.last - cols.first + 1
  const data = new Float32Array(th * tw * stride * stride * kernel * kernel)
  let row = 0
  for (let a = 0; a < th; a++)
    for (let b = 0; b < tw; b++)
      for (let rh = 0; rh < stride; rh++)
        for (let rw = 0; rw < stride; rw++, row++) {
          const ih = rows.taps[rh]?.[a] ?? -1
          const iw = cols.taps[rw]?.[b] ?? -1
          if (ih >= 0 && iw >= 0) data[row * kernel * kernel + ih * kernel + iw] = 1
        }
  return tf.tensor2d(data, [th * tw * stride * stride, kernel * kernel])
}

/** The transposed convolution of x by filter with stride s and "same" padding (top, left before the first row and column). */
export const conv2dTransposeSubpixel = (x: tf.Tensor, filter: tf.Tensor, stride: number, top: number, left: number): tf.Tensor =>
  tf.tidy(() => {
    const [h, w, ci] = x.shape as [number, number, number]
    const [k, , co] = filter.shape as [number, number, number, number]
    const rows = axisTaps(k, stride, top)
    const cols = axisTaps(k, stride, left)
    const [th, tw] = [rows.last - rows.first + 1, cols.last - cols.first + 1]
    const picked = tf.matMul(selection(rows, cols, k, stride), tf.reshape(filter, [k * k, co * ci]))
    const combined = tf.reshape(tf.transpose(tf.reshape(picked, [th, tw, stride * stride, co, ci]), [0, 1, 4, 2, 3]), [th, tw, ci, stride * stride * co]) as tf.Tensor4D
    const padded = tf.pad(tf.expandDims(x, 0), [[0, 0], [-rows.first, rows.last], [-cols.first, cols.last], [0, 0]]) as tf.Tensor4D
    const phases = tf.conv2d(padded, combined, 1, "valid")
    return tf.reshape(tf.transpose(tf.reshape(phases, [h, w, stride, stride, co]), [0, 2, 1, 3, 4]), [h * stride, w * stride, co])
  })
