import * as fc from "fast-check"
import { linear } from "../../src/ops/linear/linear.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.tuple(arbDim(1, 4), arbDim(1, 4), arbDim(1, 4)).chain(([n, i, o]) =>
  fc.record({
    inputs: fc.record({ x: arbF64([n, i]), weight: arbF64([i, o]), bias: arbF64([o]) }),
    attrs: fc.constant({})
  })
)

checkOp(linear, { arbitrary: cases, tolerance: "linear" })
