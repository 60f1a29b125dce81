import * as fc from "fast-check"
import { transformPoints } from "../../src/ops/transformPoints/transformPoints.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.tuple(arbDim(1, 2), arbDim(1, 4)).chain(([b, n]) =>
  fc.record({ inputs: fc.record({ points: arbF64([b, n, 3]), matrix: arbF64([4, 4]) }), attrs: fc.constant({}) })
)

checkOp(transformPoints, { arbitrary: cases })
