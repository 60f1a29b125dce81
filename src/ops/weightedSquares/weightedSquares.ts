/**
 * weightedSquares: out = sum_{b, i} w_i x_{b, i}^2 / B.
 * Shapes: x [B, ...S], weights [...S] (constant) -> out []. Smooth everywhere; tfjs derives the gradient.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { weightedSquaresSpec } from "./spec.ts"

export const weightedSquares: ResolvedOpDef<typeof weightedSquaresSpec> = defineOpDef({
  spec: weightedSquaresSpec,
  kernel: { _tag: "Autodiff", forward: ({ x, weights }) => ({ out: tf.div(tf.sum(tf.mul(tf.square(x), weights)), x.shape[0] as number) }) }
})
