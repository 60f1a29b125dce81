import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface ConcatAttrs {
  /** Channels (last axis) of a and of b; the output has their sum. */
  readonly channelsA: number
  readonly channelsB: number
}

export const concatSpec = defineOp({
  name: "concat",
  doc: "Concatenation along the last (channel) axis",
  inputs: ["a", "b"],
  outputs: ["out"],
  differentiable: ["a", "b"],
  signature: (c: ConcatAttrs) => ({
    inputs: { a: port(["...S", c.channelsA]), b: port(["...S", c.channelsB]) },
    outputs: { out: port(["...S", c.channelsA + c.channelsB]) }
  })
})
