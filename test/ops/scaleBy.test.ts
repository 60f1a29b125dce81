import * as fc from "fast-check"
import { scaleBy } from "../../src/ops/scaleBy/scaleBy.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.array(arbDim(1, 4), { minLength: 1, maxLength: 3 }).chain((shape) => fc.record({ inputs: fc.record({ x: arbF64(shape), factor: arbF64([]) }), attrs: fc.constant({}) }))

checkOp(scaleBy, { arbitrary: cases })
