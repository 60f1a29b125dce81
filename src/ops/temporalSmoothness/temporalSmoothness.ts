/**
 * temporalSmoothness: out = sum_{t, n} |D x|_{t, n}^2 / (T' N), D the finite difference of the given
 * order along the frame axis, over the T' rows t (frames t .. t + order) that cross no break (a frame
 * beginning a new run, attr `breaks`); 0 when there is no such row.
 * Shapes: x [B, N, 3] (frames in order) -> out []. Smooth everywhere; tfjs derives the gradient
 * (D is a constant [T', B] matrix, applied by matMul: slices are slow on wasm).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { temporalSmoothnessSpec, withinRun } from "./spec.ts"

/** Row t of the [B - order, B] difference matrix: the order-th difference stencil starting at frame t. */
export const differenceStencil = (order: 1 | 2): ReadonlyArray<number> => (order === 1 ? [-1, 1] : [1, -2, 1])

export const temporalSmoothness: ResolvedOpDef<typeof temporalSmoothnessSpec> = defineOpDef({
  spec: temporalSmoothnessSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x }, a) => {
      const [b, n] = x.shape as [number, number, number]
      const starts = Array.from({ length: Math.max(0, b - a.order) }, (_, t) => t).filter((t) => withinRun(t, a))
      const rows = starts.length
      if (rows === 0) return { out: tf.mul(tf.sum(x), 0) }
      const stencil = differenceStencil(a.order)
      const d = new Float32Array(rows * b)
      starts.forEach((t, row) => stencil.forEach((c, k) => (d[row * b + t + k] = c)))
      const diff = tf.matMul(tf.tensor2d(d, [rows, b]), tf.reshape(x, [b, n * 3]) as tf.Tensor2D)
      return { out: tf.div(tf.sum(tf.square(diff)), rows * n) }
    }
  }
})
