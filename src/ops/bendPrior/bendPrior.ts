/**
 * bendPrior: out = sum_{b, e} exp(sign_e pose[b, joint_e, axis_e])^2 / B: about 1 per entry at rest,
 * growing fast when a knee or elbow bends the wrong way (sign_e = +1 when positive angles are wrong).
 * Shapes: pose [B, J, 3] axis-angle -> out [] (mean over B). Smooth everywhere; tfjs derives the
 * gradient (the entries are picked by a product with a constant [J*3, E] matrix of signs).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { bendPriorSpec } from "./spec.ts"

export const bendPrior: ResolvedOpDef<typeof bendPriorSpec> = defineOpDef({
  spec: bendPriorSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ pose }, a) => {
      const [b, j] = pose.shape as [number, number, number]
      const e = a.entries.length
      const signs = new Float32Array(j * 3 * e)
      a.entries.forEach((w, k) => (signs[(3 * w.joint + w.axis) * e + k] = w.sign))
      const angles = tf.matMul(tf.reshape(pose, [b, j * 3]) as tf.Tensor2D, tf.tensor2d(signs, [j * 3, e]))
      return { out: tf.div(tf.sum(tf.exp(tf.mul(angles, 2))), b) }
    }
  }
})
