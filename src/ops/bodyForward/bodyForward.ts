/**
 * bodyForward (SMPL-style forward kinematics without pose correctives):
 *   shaped   = vTemplate + shapeDirs . betas                      [B, V, 3]
 *   rest     = jRegressor . shaped                                [B, J, 3]
 *   G_j      = G_parent(j) . [R(pose_j) | rest_j - rest_parent(j)] (G_root = [R(pose_0) | rest_0])
 *   A_j      = [G_j.R | G_j.t - G_j.R rest_j + transl]            transforms [B, J, 4, 4]
 *   joints   = G_j.t + transl                                     [B, J, 3]
 *   vertices = lbs(shaped, weights, A)                            [B, V, 3]
 * A_j maps a point of the shaped rest body to its posed, translated place.
 * Shapes: betas [B, K], pose [B, J, 3] axis-angle relative to the parent, transl [B, 3],
 * vTemplate [V, 3], shapeDirs [V, 3, K], jRegressor [J, V], weights [V, J].
 * Smooth everywhere (Rodrigues uses a series near zero angle, see rotation.ts).
 * tfjs derives the gradient.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { skin } from "../lbs/lbs.ts"
import { rodrigues } from "./rotation.ts"
import { bodyForwardSpec } from "./spec.ts"

/** [B, V, 3] shaped vertices. */
const shapedVertices = (betas: tf.Tensor, vTemplate: tf.Tensor, shapeDirs: tf.Tensor): tf.Tensor => {
  const [v, , k] = shapeDirs.shape as [number, number, number]
  const b = betas.shape[0] as number
  const offsets = tf.matMul(tf.reshape(shapeDirs, [v * 3, k]) as tf.Tensor2D, tf.transpose(betas) as tf.Tensor2D) // [V*3, B]
  return tf.add(tf.reshape(tf.transpose(offsets), [b, v, 3]), vTemplate)
}

/** [B, J, 3] joints regressed from [B, V, 3] vertices. */
const regressJoints = (jRegressor: tf.Tensor, vertices: tf.Tensor): tf.Tensor => {
  const [b, v] = vertices.shape as [number, number, number]
  const j = jRegressor.shape[0] as number
  const columns = tf.reshape(tf.transpose(vertices, [1, 0, 2]), [v, b * 3])
  return tf.transpose(tf.reshape(tf.matMul(jRegressor as tf.Tensor2D, columns as tf.Tensor2D), [j, b, 3]), [1, 0, 2])
}

const matVec = (m: tf.Tensor, x: tf.Tensor): tf.Tensor => tf.squeeze(tf.matMul(m as tf.Tensor3D, tf.expandDims(x, -1) as tf.Tensor3D), [-1])

/** World rotations [B, 3, 3] and joint positions [B, 3] of every joint, root first. */
const chain = (rotations: ReadonlyArray<tf.Tensor>, rest: ReadonlyArray<tf.Tensor>, parents: ReadonlyArray<number>) => {
  const worldR: tf.Tensor[] = []
  const worldT: tf.Tensor[] = []
  parents.forEach((p, j) => {
    if (p < 0) {
      worldR.push(rotations[j]!)
      worldT.push(rest[j]!)
    } else {
      worldR.push(tf.matMul(worldR[p]! as tf.Tensor3D, rotations[j]! as tf.Tensor3D))
      worldT.push(tf.add(matVec(worldR[p]!, tf.sub(rest[j]!, rest[p]!)), worldT[p]!))
    }
  })
  return { worldR, worldT }
}

export const bodyForwardKernel = (
  inputs: { readonly [K in "betas" | "pose" | "transl" | "vTemplate" | "shapeDirs" | "jRegressor" | "weights"]: tf.Tensor },
  parents: ReadonlyArray<number>
): { vertices: tf.Tensor; joints: tf.Tensor; transforms: tf.Tensor } => {
  const b = inputs.pose.shape[0] as number
  const j = parents.length
  const shaped = shapedVertices(inputs.betas, inputs.vTemplate, inputs.shapeDirs)
  const rest = regressJoints(inputs.jRegressor, shaped)
  const rotations = tf.unstack(rodrigues(inputs.pose), 1) // J x [B, 3, 3]
  const restPerJoint = tf.unstack(rest, 1) // J x [B, 3]
  const { worldR, worldT } = chain(rotations, restPerJoint, parents)
  const R = tf.stack(worldR, 1) // [B, J, 3, 3]
  const t = tf.stack(worldT, 1) // [B, J, 3]
  const joints = tf.add(t, tf.expandDims(inputs.transl, 1))
  const offset = tf.sub(joints, tf.squeeze(tf.matMul(R as tf.Tensor4D, tf.expandDims(rest, -1) as tf.Tensor4D), [-1]))
  const top = tf.concat([R, tf.expandDims(offset, -1)], -1) // [B, J, 3, 4]
  const bottom = tf.tile(tf.reshape(tf.tensor1d([0, 0, 0, 1]), [1, 1, 1, 4]), [b, j, 1, 1])
  const transforms = tf.concat([top, bottom], 2)
  return { vertices: skin(shaped, inputs.weights, transforms), joints, transforms }
}

export const bodyForward: ResolvedOpDef<typeof bodyForwardSpec> = defineOpDef({
  spec: bodyForwardSpec,
  kernel: {
    _tag: "Autodiff",
    forward: (inputs, attrs) => bodyForwardKernel(inputs, attrs.parents)
  }
})
