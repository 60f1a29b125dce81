import * as fc from "fast-check"
import assert from "node:assert/strict"
import { it } from "node:test"
import { softSilhouette } from "../../src/ops/softSilhouette/softSilhouette.ts"
import { softSilhouetteReference } from "../../src/ops/softSilhouette/softSilhouette.ref.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp, f64 } from "../../src/testing/harness.ts"

/** Small images with points inside and around them (some windows clipped by the border). */
const cases = fc.tuple(arbDim(1, 2), arbDim(1, 4), fc.integer({ min: 4, max: 9 }), fc.integer({ min: 4, max: 9 })).chain(([b, n, w, h]) =>
  fc.record({
    inputs: fc.record({ points: arbF64([b, n, 2], { min: -1, max: Math.max(w, h) }) }),
    attrs: fc.record({ width: fc.constant(w), height: fc.constant(h), radius: fc.double({ min: 1.2, max: 3, noNaN: true }), opacity: fc.double({ min: 0.3, max: 0.9, noNaN: true }) })
  })
)

checkOp(softSilhouette, { arbitrary: cases, tolerance: "fitOps", numRuns: { cpu: 25, wasm: 25, webgpu: 4 } })

it("softSilhouette reference: full coverage at the point, none beyond the radius", () => {
  const { alpha } = softSilhouetteReference.forward({ points: f64([1, 1, 2], [2, 2]) }, { width: 6, height: 5, radius: 2, opacity: 0.8 })
  assert.ok(Math.abs(alpha.data[2 * 6 + 2]! - 0.8) < 1e-12)
  assert.equal(alpha.data[2 * 6 + 4], 0) // distance 2 = radius
  assert.equal(alpha.data[0], 0)
})
