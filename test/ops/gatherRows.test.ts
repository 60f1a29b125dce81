import * as fc from "fast-check"
import { gatherRows } from "../../src/ops/gatherRows/gatherRows.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

// Repeated indices included: their gradients must add up.
const cases = fc.tuple(arbDim(1, 5), arbDim(1, 3), fc.array(fc.nat(), { minLength: 1, maxLength: 7 })).chain(([m, c, picks]) =>
  fc.record({
    inputs: fc.record({ table: arbF64([m, c]), indices: fc.constant({ shape: [picks.length], data: Float64Array.from(picks, (p) => p % m) }) }),
    attrs: fc.constant({})
  })
)

checkOp(gatherRows, { arbitrary: cases })
