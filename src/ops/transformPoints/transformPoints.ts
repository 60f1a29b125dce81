/**
 * transformPoints: out = M[0:3, 0:3] p + M[0:3, 3] for every point p (the last row of M is ignored).
 * Shapes: points [...S, 3], matrix [4, 4] (row-major) -> out [...S, 3]. Bilinear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { transformPointsSpec } from "./spec.ts"

/** The first three rows of a 4x4 matrix, as a constant product (no slice). */
const topRows = (matrix: tf.Tensor): tf.Tensor2D => tf.matMul(tf.tensor2d([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], [3, 4]), matrix as tf.Tensor2D)

export const transformPoints: ResolvedOpDef<typeof transformPointsSpec> = defineOpDef({
  spec: transformPointsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ points, matrix }) => {
      const top = topRows(matrix)
      const homogeneous = tf.concat([tf.reshape(points, [-1, 3]), tf.ones([points.size / 3, 1])], 1)
      return { out: tf.reshape(tf.matMul(homogeneous, tf.transpose(top)), points.shape) }
    }
  }
})
