/**
 * rasterize on every backend: in the smooth test-only mode, the harness checks
 * the forward against the Float64 reference and the VJP against central
 * differences of the reference; in the hard mode (the one training uses), the
 * image is compared per pixel with a counted number of threshold outliers.
 */
import { describe, it } from "node:test"
import * as fc from "fast-check"
import { rasterize } from "../../src/ops/rasterize/rasterize.ts"
import { testBackends, useBackend } from "../../src/testing/backends.ts"
import { checkOp } from "../../src/testing/harness.ts"
import { roundCase } from "../../src/testing/opChecks.ts"
import { tolerances } from "../../src/testing/tolerances.ts"
import { arbScene, compareHard } from "./rasterizeScenes.ts"
import { testedOp } from "../../src/testing/references.ts"

checkOp(rasterize, {
  arbitrary: arbScene({ maxGaussians: 6, maxSize: 36, smooth: true }),
  tolerance: "rasterize",
  numRuns: { cpu: 25, wasm: 15 },
  backends: testBackends.filter((b) => b !== "webgpu")
})

// Zero-size tensors (N = 0, no depth) are covered on webgpu by
// rasterizeDegenerate.test.ts, forward only: tfjs-webgpu cannot reduce a zero-size tensor.
checkOp(rasterize, {
  arbitrary: arbScene({ noEmptyTensors: true, maxGaussians: 4, maxSize: 24, smooth: true }),
  tolerance: "rasterize",
  numRuns: { webgpu: 3 },
  backends: testBackends.filter((b) => b === "webgpu")
})

const hardRuns = { cpu: 60, wasm: 30, webgpu: 4 } as const

describe("op rasterize, hard cut-offs", () => {
  for (const backend of testBackends) {
    it(`${backend}: image, alpha and depth match the Float64 reference per pixel`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
      const op = testedOp(rasterize, ready.target)
      await fc.assert(
        fc.asyncProperty(arbScene({ maxGaussians: backend === "webgpu" ? 5 : 12, maxSize: backend === "webgpu" ? 24 : 40, smooth: false }), async (raw) => {
          const problem = await compareHard(roundCase(raw), tolerances.rasterize[backend], op)
          if (problem) throw new Error(problem)
        }),
        { numRuns: hardRuns[backend] }
      )
    })
  }
})
