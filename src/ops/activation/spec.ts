import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

/** Elementwise activations, a tagged union. */
export type Activation =
  | { readonly _tag: "Tanh" }
  | { readonly _tag: "Sigmoid" }
  | { readonly _tag: "Softplus" }
  | { readonly _tag: "Relu" }
  | { readonly _tag: "LeakyRelu"; readonly slope: number }

export interface ActivationAttrs {
  readonly fn: Activation
}

export const activationSpec = defineOp({
  name: "activation",
  doc: "Elementwise nonlinearity",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (_attrs: ActivationAttrs) => ({ inputs: { x: port(["...S"]) }, outputs: { out: port(["...S"]) } })
})
