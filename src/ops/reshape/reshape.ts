/**
 * reshape: out = x with shape `to` (row-major order kept).
 * Shapes: x [from] -> out [to], equal element counts. Linear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { reshapeSpec } from "./spec.ts"

export const reshape: ResolvedOpDef<typeof reshapeSpec> = defineOpDef({
  spec: reshapeSpec,
  kernel: { _tag: "Autodiff", forward: ({ x }, { to }) => ({ out: tf.reshape(x, [...to]) }) }
})
