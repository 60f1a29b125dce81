import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface ReshapeAttrs {
  readonly from: ReadonlyArray<number>
  /** Same number of elements as `from`. */
  readonly to: ReadonlyArray<number>
}

const size = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

export const reshapeSpec = defineOp({
  name: "reshape",
  doc: "The same values in row-major order under another shape (e.g. an S x S x C map as S^2 rows)",
  inputs: ["x"],
  outputs: ["out"],
  differentiable: ["x"],
  signature: (a: ReshapeAttrs) => {
    if (size(a.from) !== size(a.to)) throw new Error(`reshape: [${a.from.join(", ")}] and [${a.to.join(", ")}] hold different numbers of elements`)
    return { inputs: { x: port(a.from) }, outputs: { out: port(a.to) } }
  }
})
