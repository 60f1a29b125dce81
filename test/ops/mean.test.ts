import * as fc from "fast-check"
import { mean } from "../../src/ops/mean/mean.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.array(arbDim(1, 4), { minLength: 1, maxLength: 3 }).chain((shape) => fc.record({ inputs: fc.record({ x: arbF64(shape) }), attrs: fc.constant({}) }))

checkOp(mean, { arbitrary: cases })
