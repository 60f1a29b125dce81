/**
 * composeTransforms: out[b, j] = live[b, j] · fixed[j] (4x4 matrix products).
 * Shapes: live [B, J, 4, 4], fixed [J, 4, 4] -> out [B, J, 4, 4]. Bilinear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { composeTransformsSpec } from "./spec.ts"

export const composeTransforms: ResolvedOpDef<typeof composeTransformsSpec> = defineOpDef({
  spec: composeTransformsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ live, fixed }) => {
      const [b, j] = live.shape as [number, number]
      const repeated = tf.tile(tf.expandDims(fixed, 0), [b, 1, 1, 1])
      const product = tf.matMul(tf.reshape(live, [b * j, 4, 4]) as tf.Tensor3D, tf.reshape(repeated, [b * j, 4, 4]) as tf.Tensor3D)
      return { out: tf.reshape(product, [b, j, 4, 4]) }
    }
  }
})
