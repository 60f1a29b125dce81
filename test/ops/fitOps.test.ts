/** Gradient checks of the body-fit ops (graphs.fit): project, gemanMcClure, bendPrior, weightedSquares, temporalSmoothness, boneDirections. */
import * as tf from "@tensorflow/tfjs"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { applyOp } from "../../src/ops/apply.ts"
import { evalContext } from "../../src/ops/contract.ts"
import { bendPrior } from "../../src/ops/bendPrior/bendPrior.ts"
import { boneDirections } from "../../src/ops/boneDirections/boneDirections.ts"
import { gemanMcClure } from "../../src/ops/gemanMcClure/gemanMcClure.ts"
import { project } from "../../src/ops/project/project.ts"
import { temporalSmoothness } from "../../src/ops/temporalSmoothness/temporalSmoothness.ts"
import { temporalSmoothnessReference } from "../../src/ops/temporalSmoothness/temporalSmoothness.ref.ts"
import { weightedSquares } from "../../src/ops/weightedSquares/weightedSquares.ts"
import { useBackend } from "../../src/testing/backends.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

/** Points in front of the camera (z in [1, 3], far from the clamp at minDepth). */
const projectCases = fc.tuple(arbDim(1, 3), arbDim(1, 4)).chain(([b, n]) =>
  fc.record({
    inputs: fc.record({
      points: fc.tuple(arbF64([b, n, 2]), arbF64([b, n, 1], { min: 1, max: 3 })).map(([xy, z]) => {
        const data = new Float64Array(b * n * 3)
        for (let i = 0; i < b * n; i++) data.set([xy.data[2 * i]!, xy.data[2 * i + 1]!, z.data[i]!], 3 * i)
        return { shape: [b, n, 3], data }
      })
    }),
    attrs: fc.record({ fx: fc.double({ min: 50, max: 200, noNaN: true }), fy: fc.double({ min: 50, max: 200, noNaN: true }), cx: fc.double({ min: 0, max: 64, noNaN: true }), cy: fc.double({ min: 0, max: 64, noNaN: true }), minDepth: fc.constant(0.05) })
  })
)
checkOp(project, { arbitrary: projectCases, tolerance: "fitOps" })

const gmCases = fc.tuple(arbDim(1, 3), arbDim(1, 5), arbDim(1, 4)).chain(([b, m, k]) =>
  fc.record({
    inputs: fc.record({ predicted: arbF64([b, m, 2], { min: -20, max: 20 }), targets: arbF64([b, k, 2], { min: -20, max: 20 }), confidence: arbF64([b, k], { min: 0, max: 1 }) }),
    attrs: fc.record({ points: fc.array(fc.integer({ min: 0, max: m - 1 }), { minLength: k, maxLength: k }), sigma: fc.double({ min: 2, max: 30, noNaN: true }) })
  })
)
checkOp(gemanMcClure, { arbitrary: gmCases, tolerance: "fitOps" })

const bendCases = fc.tuple(arbDim(1, 3), arbDim(1, 4)).chain(([b, j]) =>
  fc.record({
    inputs: fc.record({ pose: arbF64([b, j, 3], { min: -1.5, max: 1.5 }) }),
    attrs: fc.record({
      entries: fc.array(fc.record({ joint: fc.integer({ min: 0, max: j - 1 }), axis: fc.constantFrom(0 as const, 1 as const, 2 as const), sign: fc.constantFrom(1 as const, -1 as const) }), { minLength: 1, maxLength: 4 })
    })
  })
)
checkOp(bendPrior, { arbitrary: bendCases, tolerance: "fitOps" })

const squaresCases = fc.tuple(arbDim(1, 3), arbDim(1, 4), arbDim(1, 3)).chain(([b, j, c]) =>
  fc.record({ inputs: fc.record({ x: arbF64([b, j, c]), weights: arbF64([j, c], { min: 0, max: 2 }) }), attrs: fc.constant({}) })
)
checkOp(weightedSquares, { arbitrary: squaresCases, tolerance: "fitOps" })

const smoothCases = fc.tuple(arbDim(1, 5), arbDim(1, 3)).chain(([b, n]) =>
  fc.record({
    inputs: fc.record({ x: arbF64([b, n, 3]) }),
    attrs: fc.record({ order: fc.constantFrom(1 as const, 2 as const), breaks: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, b - 1) }), { maxLength: 2 }) })
  })
)
checkOp(temporalSmoothness, { arbitrary: smoothCases, tolerance: "fitOps" })

describe("temporalSmoothness with breaks", () => {
  it("a jump between two runs costs nothing; the same jump inside a run does", async () => {
    await useBackend("cpu")
    // Frames 0-2 at x = 0, frames 3-5 at x = 1 (the frames between were dropped): a still person in each run.
    const x = Float64Array.from({ length: 6 * 3 }, (_, i) => (i % 3 === 0 && i >= 9 ? 1 : 0))
    const value = (breaks: ReadonlyArray<number>) => {
      const out = tf.tidy(() => applyOp(temporalSmoothness, { x: tf.tensor3d(Float32Array.from(x), [6, 1, 3]) }, { order: 2, breaks }, evalContext).out.dataSync()[0]!)
      const reference = temporalSmoothnessReference.forward({ x: { shape: [6, 1, 3], data: x } }, { order: 2, breaks }).out.data[0]!
      return { out, reference }
    }
    assert.deepEqual(value([3]), { out: 0, reference: 0 })
    const joined = value([])
    assert.ok(joined.out > 0.4 && Math.abs(joined.out - joined.reference) < 1e-6, JSON.stringify(joined)) // two rows of 1 out of four
  })
})

/** Joints spread along x (joint j near x = 3j), so every bone between two different joints is at least 1 long. */
const boneCases = fc.tuple(arbDim(1, 3), fc.integer({ min: 2, max: 5 }), arbDim(1, 4)).chain(([b, j, k]) =>
  fc.record({
    inputs: fc.record({
      joints: arbF64([b, j, 3]).map((x) => ({ shape: x.shape, data: x.data.map((v, i) => (i % 3 === 0 ? v + 3 * (Math.floor(i / 3) % j) : v)) })),
      targets: arbF64([b, k, 3]),
      confidence: arbF64([b, k], { min: 0, max: 1 })
    }),
    attrs: fc.record({
      bones: fc.array(
        fc.tuple(fc.integer({ min: 0, max: j - 1 }), fc.integer({ min: 1, max: j - 1 })).map(([from, step]) => [from, (from + step) % j] as const),
        { minLength: k, maxLength: k }
      )
    })
  })
)
checkOp(boneDirections, { arbitrary: boneCases, tolerance: "fitOps" })
