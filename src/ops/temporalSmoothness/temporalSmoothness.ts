/**
 * temporalSmoothness: out = sum_{t, n} |D x|_{t, n}^2 / (T' N), D the finite difference of the given
 * order along the frame axis (T' = B - order rows); 0 when B <= order.
 * Shapes: x [B, N, 3] (frames in order) -> out []. Smooth everywhere; tfjs derives the gradient
 * (D is a constant [T', B] matrix, applied by matMul: slices are slow on wasm).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { temporalSmoothnessSpec } from "./spec.ts"

/** Row t of the [B - order, B] difference matrix: the order-th difference stencil starting at frame t. */
export const differenceStencil = (order: 1 | 2): ReadonlyArray<number> => (order === 1 ? [-1, 1] : [1, -2, 1])

export const temporalSmoothness: ResolvedOpDef<typeof temporalSmoothnessSpec> = defineOpDef({
  spec: temporalSmoothnessSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x }, a) => {
      const [b, n] = x.shape as [number, number, number]
      const rows = b - a.order
      if (rows <= 0) return { out: tf.mul(tf.sum(x), 0) }
      const stencil = differenceStencil(a.order)
      const d = new Float32Array(rows * b)
      for (let t = 0; t < rows; t++) stencil.forEach((c, k) => (d[t * b + t + k] = c))
      const diff = tf.matMul(tf.tensor2d(d, [rows, b]), tf.reshape(x, [b, n * 3]) as tf.Tensor2D)
      return { out: tf.div(tf.sum(tf.square(diff)), rows * n) }
    }
  }
})
