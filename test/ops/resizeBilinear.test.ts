import * as fc from "fast-check"
import { resizeBilinear } from "../../src/ops/resizeBilinear/resizeBilinear.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc
  .record({ h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 3 }), outHeight: fc.integer({ min: 1, max: 9 }), outWidth: fc.integer({ min: 1, max: 9 }) })
  .chain(({ h, w, c, outHeight, outWidth }) => fc.record({ inputs: fc.record({ x: arbF64([h, w, c]) }), attrs: fc.constant({ outHeight, outWidth }) }))

checkOp(resizeBilinear, { arbitrary: cases })
