import * as fc from "fast-check"
import { posedPositionMap } from "../../src/ops/posedPositionMap/posedPositionMap.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

/** Per texel: barycentrics summing to 1 (valid) or zeros (off the atlas). */
const arbBary = (texels: number) =>
  fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: texels, maxLength: texels }).map((rows) => {
    const data = new Float64Array(texels * 3)
    rows.forEach(([valid, a, b], t) => {
      if (!valid) return
      const [u, v] = a + b > 1 ? [1 - a, 1 - b] : [a, b]
      data.set([u, v, 1 - u - v], 3 * t)
    })
    return { shape: [texels, 3], data }
  })

const cases = fc.tuple(arbDim(1, 2), arbDim(2, 6), arbDim(1, 3)).chain(([b, v, size]) =>
  fc.record({
    inputs: fc.record({
      vertices: arbF64([b, v, 3]),
      texelVertices: fc.array(fc.integer({ min: 0, max: v - 1 }), { minLength: size * size * 3, maxLength: size * size * 3 }).map((ids) => ({ shape: [size * size, 3], data: Float64Array.from(ids) })),
      texelBary: arbBary(size * size)
    }),
    attrs: fc.constant({ size })
  })
)

checkOp(posedPositionMap, { arbitrary: cases, tolerance: "posedPositionMap" })
