import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

/** One pose number that must not go the wrong way: joint, axis (0 x, 1 y, 2 z), and the sign of the wrong way. */
export interface WrongWay {
  readonly joint: number
  readonly axis: 0 | 1 | 2
  readonly sign: 1 | -1
}

export interface BendPriorAttrs {
  readonly entries: ReadonlyArray<WrongWay>
}

export const bendPriorSpec = defineOp({
  name: "bendPrior",
  doc: "SMPLify's bending prior: exp(sign * angle)^2 on knee and elbow angles, large when they bend the wrong way",
  inputs: ["pose"],
  outputs: ["out"],
  differentiable: ["pose"],
  signature: (_attrs: BendPriorAttrs) => ({ inputs: { pose: port(["B", "J", 3]) }, outputs: { out: port([]) } })
})
