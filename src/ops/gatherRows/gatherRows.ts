/**
 * gatherRows: out[n] = table[indices[n]].
 * Shapes: table [M, C], indices [N] (int32, in [0, M)) -> out [N, C].
 * Linear in the table; indices are not differentiable. The table's gradient sums the
 * rows of the output gradient that share an index (scatterND); it keeps the indices, not the table.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { gatherRowsSpec } from "./spec.ts"

/** Gather with a gradient that keeps only the indices (tfjs's GatherV2 also keeps the whole table). */
const gather = (table: tf.Tensor, indices: tf.Tensor): tf.Tensor => {
  const shape = table.shape
  const rows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc]
    save([indices])
    return { value: tf.gather(t, indices, 0), gradFunc: (dy: tf.Tensor, [kept]: tf.Tensor[]) => tf.scatterND(tf.reshape(kept as tf.Tensor, [-1, 1]), dy, shape) }
  }) as (t: tf.Tensor) => tf.Tensor
  return rows(table)
}

export const gatherRows: ResolvedOpDef<typeof gatherRowsSpec> = defineOpDef({
  spec: gatherRowsSpec,
  kernel: { _tag: "Autodiff", forward: ({ table, indices }) => ({ out: gather(table, indices) }) }
})
