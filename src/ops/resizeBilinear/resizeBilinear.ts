/**
 * resizeBilinear: out[y, x] = bilinear interpolation of `x` at source position
 * ((y + 0.5) H/H' - 0.5, (x + 0.5) W/W' - 0.5), clamped to the image (half-pixel
 * centres, PyTorch's F.interpolate(mode="bilinear", align_corners=False)).
 * Shapes: x [H, W, C] -> out [H', W', C]. Linear in x, so differentiable everywhere.
 * Computed separably with gathers (rows, then columns) rather than tf.image.resizeBilinear,
 * whose gradient in tfjs 4.22 returns a transposed shape when H != W; each pass's gradient is its
 * adjoint and keeps nothing of the forward pass (composed tfjs ops kept four [H', W', C] tensors).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { taps } from "./taps.ts"
import { resizeBilinearSpec } from "./spec.ts"

/** Axis `axis` of t first, or back (a permutation that is its own inverse for the two axes used). */
const axisFirst = (t: tf.Tensor, axis: 0 | 1): tf.Tensor => (axis === 0 ? t : tf.transpose(t, [1, 0, 2]))

/**
 * One axis, resampled: gather the low and high taps and blend, out = low (1 - f) + high f. Its
 * gradient is the adjoint, the output gradient weighted by (1 - f) and f and summed into the taps'
 * rows (scatterND adds repeated indices); it keeps no tensor of the forward pass (the op is linear).
 */
const resizeAxis = (x: tf.Tensor, axis: 0 | 1, outSize: number): tf.Tensor => {
  const inSize = x.shape[axis] as number
  const all = Array.from({ length: outSize }, (_, i) => taps(i, inSize, outSize))
  const column = (values: ReadonlyArray<number>) => tf.tensor1d(values as number[], "int32")
  const weights = (f: (t: readonly [number, number, number]) => number) => tf.tensor(Float32Array.from(all, f), axis === 0 ? [outSize, 1, 1] : [1, outSize, 1])
  const resample = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor
    const low = tf.gather(input, column(all.map((t) => t[0])), axis)
    const high = tf.gather(input, column(all.map((t) => t[1])), axis)
    const value = tf.add(low, tf.mul(tf.sub(high, low), weights((t) => t[2])))
    const gradFunc = (dy: tf.Tensor) => {
      const front = axisFirst(dy, axis)
      const shape = [inSize, ...front.shape.slice(1)]
      const rows = (k: 0 | 1) => tf.reshape(column(all.map((t) => t[k])), [outSize, 1])
      const spread = (k: 0 | 1, w: tf.Tensor) => tf.scatterND(rows(k), tf.mul(front, axisFirst(w, axis)), shape)
      return axisFirst(tf.add(spread(0, weights((t) => 1 - t[2])), spread(1, weights((t) => t[2]))), axis)
    }
    return { value, gradFunc }
  }) as (t: tf.Tensor) => tf.Tensor
  return resample(x)
}

export const resizeBilinear: ResolvedOpDef<typeof resizeBilinearSpec> = defineOpDef({
  spec: resizeBilinearSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x }, a) => ({ out: resizeAxis(resizeAxis(x, 0, a.outHeight), 1, a.outWidth) })
  }
})
