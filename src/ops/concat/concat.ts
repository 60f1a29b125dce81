/**
 * concat: out[..., 0:A] = a, out[..., A:A+B] = b.
 * Shapes: a [...S, A], b [...S, B] -> out [...S, A+B]. Linear, differentiable everywhere; the
 * gradient splits the output's and keeps no tensor of the forward pass.
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { concatSpec } from "./spec.ts"

/** tfjs's Concat keeps its inputs for the gradient (only their shapes matter); this keeps nothing. */
const joinLast = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b] = args as [tf.Tensor, tf.Tensor]
  const widths = [a.shape[a.rank - 1] as number, b.shape[b.rank - 1] as number]
  return { value: tf.concat([a, b], -1), gradFunc: (dy: tf.Tensor) => tf.split(dy, widths, -1) }
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor

export const concat: ResolvedOpDef<typeof concatSpec> = defineOpDef({
  spec: concatSpec,
  kernel: { _tag: "Autodiff", forward: ({ a, b }) => ({ out: joinLast(a, b) }) }
})
