/**
 * mean: out = sum(x) / size(x).
 * Shapes: x [...S] -> out [] (scalar). Linear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { meanSpec } from "./spec.ts"

export const mean: ResolvedOpDef<typeof meanSpec> = defineOpDef({
  spec: meanSpec,
  kernel: { _tag: "Autodiff", forward: ({ x }) => ({ out: tf.mean(x) }) }
})
