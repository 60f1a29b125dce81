/**
 * conv2d: out[y, x, o] = sum_{i, j, c} xPad[y*s + i, x*s + j, c] filter[i, j, c, o]
 * (cross-correlation, TensorFlow's "same"/"valid" padding, stride s, no bias).
 * Shapes: x [H, W, Ci], filter [K, K, Ci, Co] -> out [H', W', Co].
 * Smooth everywhere. tfjs derives the gradient (on wasm the filter gradient is composed, see runtime/wasmFixes.ts).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { conv2dSpec } from "./spec.ts"

export const conv2d: ResolvedOpDef<typeof conv2dSpec> = defineOpDef({
  spec: conv2dSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x, filter }, a) => ({ out: tf.squeeze(tf.conv2d(tf.expandDims(x, 0) as tf.Tensor4D, filter as tf.Tensor4D, a.stride, a.padding), [0]) })
  }
})
