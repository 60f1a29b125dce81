/**
 * activation: out = f(x) elementwise, f in {tanh, sigmoid, softplus, relu, leakyRelu(slope)}.
 * Shapes: x [...S] -> out [...S].
 * Not differentiable at x = 0 for relu and leakyRelu (tfjs uses the right-hand slope there).
 */
import * as tf from "@tensorflow/tfjs"
import type { OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { activationReference } from "./activation.ref.ts"
import type { Activation } from "./spec.ts"
import { activationSpec } from "./spec.ts"

const apply = (fn: Activation, x: tf.Tensor): tf.Tensor => {
  switch (fn._tag) {
    case "Tanh":
      return tf.tanh(x)
    case "Sigmoid":
      return tf.sigmoid(x)
    case "Softplus":
      return tf.softplus(x)
    case "Relu":
      return tf.relu(x)
    case "LeakyRelu":
      return tf.leakyRelu(x, fn.slope)
  }
}

export const activation: OpDef<typeof activationSpec> = defineOpDef({
  spec: activationSpec,
  kernel: { _tag: "Autodiff", forward: ({ x }, { fn }) => ({ out: apply(fn, x) }) },
  reference: activationReference
})
