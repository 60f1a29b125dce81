/**
 * gatherRows: out[n] = table[indices[n]].
 * Shapes: table [M, C], indices [N] (int32, in [0, M)) -> out [N, C].
 * Linear in the table; indices are not differentiable. The table's gradient sums the
 * rows of the output gradient that share an index (on wasm through ScatterNd, see runtime/wasmFixes.ts).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { gatherRowsSpec } from "./spec.ts"

export const gatherRows: ResolvedOpDef<typeof gatherRowsSpec> = defineOpDef({
  spec: gatherRowsSpec,
  kernel: { _tag: "Autodiff", forward: ({ table, indices }) => ({ out: tf.gather(table, indices, 0) }) }
})
