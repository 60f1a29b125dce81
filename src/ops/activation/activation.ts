/**
 * activation: out = f(x) elementwise, f in {tanh, sigmoid, softplus, relu, leakyRelu(slope)}.
 * Shapes: x [...S] -> out [...S].
 * Not differentiable at x = 0 for relu and leakyRelu (tfjs uses the right-hand slope there).
 * softplus(x) = relu(x) - log(sigmoid(|x|)) (= relu(x) + log1p(exp(-|x|))), with the gradient
 * sigmoid(x) dy given explicitly: tfjs wasm's Softplus kernel is a scalar loop about 6x slower than
 * these vectorised kernels together (the decoder applies it to every hidden unit of every point).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { Activation } from "./spec.ts"
import { activationSpec } from "./spec.ts"

const softplus = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc]
  save([x])
  return {
    value: tf.sub(tf.relu(x), tf.log(tf.sigmoid(tf.abs(x)))),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, tf.sigmoid(saved as tf.Tensor))
  }
}) as (x: tf.Tensor) => tf.Tensor

const apply = (fn: Activation, x: tf.Tensor): tf.Tensor => {
  switch (fn._tag) {
    case "Tanh":
      return tf.tanh(x)
    case "Sigmoid":
      return tf.sigmoid(x)
    case "Softplus":
      return softplus(x)
    case "Relu":
      return tf.relu(x)
    case "LeakyRelu":
      return tf.leakyRelu(x, fn.slope)
  }
}

export const activation: ResolvedOpDef<typeof activationSpec> = defineOpDef({
  spec: activationSpec,
  kernel: { _tag: "Autodiff", forward: ({ x }, { fn }) => ({ out: apply(fn, x) }) }
})
