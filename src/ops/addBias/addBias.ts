/**
 * addBias: out[..., c] = x[..., c] + bias[c].
 * Shapes: x [...S, C], bias [C] -> out [...S, C]. Smooth everywhere.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { addBiasSpec } from "./spec.ts"

export const addBias: ResolvedOpDef<typeof addBiasSpec> = defineOpDef({
  spec: addBiasSpec,
  kernel: { _tag: "Autodiff", forward: ({ x, bias }) => ({ out: tf.add(x, bias) }) }
})
