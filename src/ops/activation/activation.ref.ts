/** Float64 reference of the elementwise activations. */
import type { Reference } from "../contract.ts"
import type { Activation, ActivationAttrs } from "./spec.ts"

export const activate64 = (fn: Activation, v: number): number => {
  switch (fn._tag) {
    case "Tanh":
      return Math.tanh(v)
    case "Sigmoid":
      return 1 / (1 + Math.exp(-v))
    case "Softplus":
      return v > 30 ? v : Math.log1p(Math.exp(v))
    case "Relu":
      return Math.max(0, v)
    case "LeakyRelu":
      return v >= 0 ? v : fn.slope * v
  }
}

export const activationReference: Reference<"x", "out", ActivationAttrs> = {
  forward: ({ x }, { fn }) => ({ out: { shape: x.shape, data: x.data.map((v) => activate64(fn, v)) } })
}
