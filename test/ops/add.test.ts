import * as fc from "fast-check"
import { add } from "../../src/ops/add/add.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.array(arbDim(1, 4), { minLength: 0, maxLength: 3 }).chain((shape) => fc.record({ inputs: fc.record({ a: arbF64(shape), b: arbF64(shape) }), attrs: fc.constant({}) }))

checkOp(add, { arbitrary: cases })
