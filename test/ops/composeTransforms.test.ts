import * as fc from "fast-check"
import { composeTransforms } from "../../src/ops/composeTransforms/composeTransforms.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.tuple(arbDim(1, 2), arbDim(1, 3)).chain(([b, j]) =>
  fc.record({ inputs: fc.record({ live: arbF64([b, j, 4, 4]), fixed: arbF64([j, 4, 4]) }), attrs: fc.constant({}) })
)

checkOp(composeTransforms, { arbitrary: cases })
