/**
 * add: out = a + b, elementwise (e.g. pose features added to the feature tensor's).
 * Shapes: a [...S], b [...S] -> out [...S]. Linear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { addSpec } from "./spec.ts"

export const add: ResolvedOpDef<typeof addSpec> = defineOpDef({
  spec: addSpec,
  kernel: { _tag: "Autodiff", forward: ({ a, b }) => ({ out: tf.add(a, b) }) }
})
