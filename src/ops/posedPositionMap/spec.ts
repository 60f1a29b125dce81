import { defineOp } from "../../dsl/op.ts"
import { port } from "../../dsl/shape.ts"

export interface PosedPositionMapAttrs {
  /** S: the map is S x S. */
  readonly size: number
}

export const posedPositionMapSpec = defineOp({
  name: "posedPositionMap",
  doc: "UV position map of a posed body: each texel the barycentric blend of its face's posed vertices (zeros off the atlas)",
  inputs: ["vertices", "texelVertices", "texelBary"],
  outputs: ["map"],
  differentiable: ["vertices"],
  signature: (attrs: PosedPositionMapAttrs) => ({
    inputs: {
      vertices: port(["B", "V", 3]),
      texelVertices: port([attrs.size * attrs.size, 3], "int32"),
      texelBary: port([attrs.size * attrs.size, 3])
    },
    outputs: { map: port(["B", attrs.size, attrs.size, 3]) }
  })
})
