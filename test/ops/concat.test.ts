import * as fc from "fast-check"
import { concat } from "../../src/ops/concat/concat.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.tuple(fc.array(arbDim(1, 3), { minLength: 1, maxLength: 2 }), arbDim(1, 3), arbDim(1, 3)).chain(([lead, channelsA, channelsB]) =>
  fc.record({ inputs: fc.record({ a: arbF64([...lead, channelsA]), b: arbF64([...lead, channelsB]) }), attrs: fc.constant({ channelsA, channelsB }) })
)

checkOp(concat, { arbitrary: cases })
