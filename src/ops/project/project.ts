/**
 * project: u = fx x / z' + cx, v = fy y / z' + cy with z' = max(z, minDepth).
 * Shapes: points [...S, 3] in camera space -> out [...S, 2] pixels.
 * Not differentiable at z = minDepth (the clamp; the gradient through z is zero below it).
 * tfjs derives the gradient.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { ProjectAttrs } from "./spec.ts"
import { projectSpec } from "./spec.ts"

export const projectPoints = (points: tf.Tensor, a: ProjectAttrs): tf.Tensor => {
  const [x, y, z] = tf.split(points, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor]
  const depth = tf.maximum(z, a.minDepth)
  return tf.concat([tf.add(tf.mul(tf.div(x, depth), a.fx), a.cx), tf.add(tf.mul(tf.div(y, depth), a.fy), a.cy)], -1)
}

export const project: ResolvedOpDef<typeof projectSpec> = defineOpDef({
  spec: projectSpec,
  kernel: { _tag: "Autodiff", forward: ({ points }, attrs) => ({ out: projectPoints(points, attrs) }) }
})
