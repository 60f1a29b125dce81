import * as fc from "fast-check"
import { addBias } from "../../src/ops/addBias/addBias.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

// Rank 2 ([N, C]) and rank 3 ([H, W, C]) inputs.
const cases = fc.tuple(fc.array(arbDim(1, 4), { minLength: 1, maxLength: 2 }), arbDim(1, 4)).chain(([lead, c]) =>
  fc.record({ inputs: fc.record({ x: arbF64([...lead, c]), bias: arbF64([c]) }), attrs: fc.constant({}) })
)

checkOp(addBias, { arbitrary: cases })
