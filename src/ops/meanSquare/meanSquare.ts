/**
 * meanSquare: out = mean(x^2).
 * Shapes: x [...S] -> out [] (scalar). Smooth everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { meanSquareSpec } from "./spec.ts"

export const meanSquare: ResolvedOpDef<typeof meanSquareSpec> = defineOpDef({
  spec: meanSquareSpec,
  kernel: { _tag: "Autodiff", forward: ({ x }) => ({ out: tf.mean(tf.square(x)) }) }
})
