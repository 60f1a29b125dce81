/**
 * project: u = fx x / z' + cx, v = fy y / z' + cy with z' = max(z, minDepth).
 * Shapes: points [...S, 3] in camera space -> out [...S, 2] pixels.
 * Not differentiable at z = minDepth (the clamp; the gradient through z is zero below it).
 * tfjs derives the gradient. Written as two small matMuls (points . [[fx, 0], [0, fy], [0, 0]] and
 * points . [0, 0, 1]) rather than splitting the coordinates and concatenating the result: slices and
 * concats are copies in JavaScript on the wasm backend, and their gradients more of them.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { ProjectAttrs } from "./spec.ts"
import { projectSpec } from "./spec.ts"

export const projectPoints = (points: tf.Tensor, a: ProjectAttrs): tf.Tensor => {
  const rows = tf.reshape(points, [-1, 3]) as tf.Tensor2D
  const focal = tf.matMul(rows, tf.tensor2d([a.fx, 0, 0, a.fy, 0, 0], [3, 2]))
  const depth = tf.maximum(tf.matMul(rows, tf.tensor2d([0, 0, 1], [3, 1])), a.minDepth)
  const pixels = tf.add(tf.div(focal, depth), tf.tensor1d([a.cx, a.cy]))
  return tf.reshape(pixels, [...points.shape.slice(0, -1), 2])
}

export const project: ResolvedOpDef<typeof projectSpec> = defineOpDef({
  spec: projectSpec,
  kernel: { _tag: "Autodiff", forward: ({ points }, attrs) => ({ out: projectPoints(points, attrs) }) }
})
