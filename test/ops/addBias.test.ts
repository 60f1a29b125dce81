import * as fc from "fast-check"
import { addBias } from "../../src/ops/addBias/addBias.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.tuple(arbDim(1, 5), arbDim(1, 4)).chain(([n, c]) =>
  fc.record({ inputs: fc.record({ x: arbF64([n, c]), bias: arbF64([c]) }), attrs: fc.constant({}) })
)

checkOp(addBias, { arbitrary: cases })
