/**
 * scaleBy: out = factor * x.
 * Shapes: x [...S], factor [] -> out [...S]. Bilinear, differentiable everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { scaleBySpec } from "./spec.ts"

export const scaleBy: ResolvedOpDef<typeof scaleBySpec> = defineOpDef({
  spec: scaleBySpec,
  kernel: { _tag: "Autodiff", forward: ({ x, factor }) => ({ out: tf.mul(x, factor) }) }
})
