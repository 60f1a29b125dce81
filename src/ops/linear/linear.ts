/**
 * linear: out[n, o] = sum_i x[n, i] weight[i, o] + bias[o]
 * Shapes: x [N, I], weight [I, O], bias [O] -> out [N, O].
 * Smooth everywhere. tfjs derives the gradient (wasm uses the explicit-transpose MatMul gradient).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { linearSpec } from "./spec.ts"

export const linear: ResolvedOpDef<typeof linearSpec> = defineOpDef({
  spec: linearSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x, weight, bias }) => ({ out: tf.add(tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D), bias) })
  }
})
