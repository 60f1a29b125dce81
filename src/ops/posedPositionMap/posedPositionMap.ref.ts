/** Float64 reference of posedPositionMap: a loop over texels and corners. */
import type { F64, Reference } from "../contract.ts"
import type { PosedPositionMapAttrs } from "./spec.ts"

export const posedPositionMapReference: Reference<"vertices" | "texelVertices" | "texelBary", "map", PosedPositionMapAttrs> = {
  forward: ({ vertices, texelVertices, texelBary }, attrs) => {
    const [b, v] = vertices.shape as [number, number, number]
    const texels = attrs.size * attrs.size
    const data = new Float64Array(b * texels * 3)
    for (let s = 0; s < b; s++)
      for (let t = 0; t < texels; t++)
        for (let k = 0; k < 3; k++) {
          const w = texelBary.data[3 * t + k]!
          const vertex = texelVertices.data[3 * t + k]!
          for (let c = 0; c < 3; c++) data[(s * texels + t) * 3 + c]! += w * vertices.data[(s * v + vertex) * 3 + c]!
        }
    const map: F64 = { shape: [b, attrs.size, attrs.size, 3], data }
    return { map }
  }
}
