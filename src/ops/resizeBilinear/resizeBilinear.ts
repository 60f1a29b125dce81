/**
 * resizeBilinear: out[y, x] = bilinear interpolation of `x` at source position
 * ((y + 0.5) H/H' - 0.5, (x + 0.5) W/W' - 0.5), clamped to the image (half-pixel
 * centres, PyTorch's F.interpolate(mode="bilinear", align_corners=False)).
 * Shapes: x [H, W, C] -> out [H', W', C]. Linear in x, so differentiable everywhere.
 * Computed separably with gathers (rows, then columns) rather than tf.image.resizeBilinear,
 * whose gradient in tfjs 4.22 returns a transposed shape when H != W.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { taps } from "./taps.ts"
import { resizeBilinearSpec } from "./spec.ts"

/** Gather one axis at the low and high taps and blend: out = low * (1 - f) + high * f. */
const resizeAxis = (x: tf.Tensor, axis: 0 | 1, outSize: number): tf.Tensor => {
  const inSize = x.shape[axis] as number
  const all = Array.from({ length: outSize }, (_, i) => taps(i, inSize, outSize))
  const low = tf.gather(x, tf.tensor1d(all.map((t) => t[0]), "int32"), axis)
  const high = tf.gather(x, tf.tensor1d(all.map((t) => t[1]), "int32"), axis)
  const fraction = tf.tensor(Float32Array.from(all, (t) => t[2]), axis === 0 ? [outSize, 1, 1] : [1, outSize, 1])
  return tf.add(low, tf.mul(tf.sub(high, low), fraction))
}

export const resizeBilinear: ResolvedOpDef<typeof resizeBilinearSpec> = defineOpDef({
  spec: resizeBilinearSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x }, a) => ({ out: resizeAxis(resizeAxis(x, 0, a.outHeight), 1, a.outWidth) })
  }
})
