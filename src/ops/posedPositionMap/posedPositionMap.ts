/**
 * posedPositionMap: map[b, i, j] = sum_k texelBary[t, k] vertices[b, texelVertices[t, k]], t = i S + j.
 * Shapes: vertices [B, V, 3], texelVertices [S*S, 3] int32, texelBary [S*S, 3] -> map [B, S, S, 3].
 * Texels off the atlas have zero barycentrics (and any vertex index), so they stay 0.
 * Linear in the vertices (the pose encoder's input; pose gradients flow through it);
 * texelVertices and texelBary are constants (see texelCorners in src/body/uv/uvMaps.ts).
 * tfjs derives the gradient (gather's gradient is a scatter-add).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { posedPositionMapSpec } from "./spec.ts"

export const posedPositionMap: ResolvedOpDef<typeof posedPositionMapSpec> = defineOpDef({
  spec: posedPositionMapSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ vertices, texelVertices, texelBary }, attrs) => {
      const b = vertices.shape[0] as number
      const s = attrs.size
      const corners = tf.reshape(tf.gather(vertices, tf.reshape(texelVertices, [-1]), 1), [b, s * s, 3, 3]) // [B, T, corner, xyz]
      const blended = tf.sum(tf.mul(corners, tf.reshape(texelBary, [1, s * s, 3, 1])), 2)
      return { map: tf.reshape(blended, [b, s, s, 3]) }
    }
  }
})
