/**
 * concat: out[..., 0:A] = a, out[..., A:A+B] = b.
 * Shapes: a [...S, A], b [...S, B] -> out [...S, A+B]. Linear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { concatSpec } from "./spec.ts"

export const concat: ResolvedOpDef<typeof concatSpec> = defineOpDef({
  spec: concatSpec,
  kernel: { _tag: "Autodiff", forward: ({ a, b }) => ({ out: tf.concat([a, b], -1) }) }
})
