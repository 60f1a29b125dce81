import * as fc from "fast-check"
import assert from "node:assert/strict"
import { it } from "node:test"
import { reshape } from "../../src/ops/reshape/reshape.ts"
import { reshapeSpec } from "../../src/ops/reshape/spec.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

const cases = fc.tuple(arbDim(1, 4), arbDim(1, 4), arbDim(1, 3)).chain(([a, b, c]) =>
  fc.record({ inputs: fc.record({ x: arbF64([a, b, c]) }), attrs: fc.constant({ from: [a, b, c], to: [a * b, c] }) })
)

checkOp(reshape, { arbitrary: cases })

it("reshape: a spec whose element counts differ is refused when the graph is checked", () => {
  assert.throws(() => reshapeSpec.signature({ from: [2, 3], to: [5] }), /different numbers of elements/)
})
