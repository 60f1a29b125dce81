import * as fc from "fast-check"
import assert from "node:assert/strict"
import { it } from "node:test"
import { ssim64 } from "../../src/metrics/image.ts"
import { ssim } from "../../src/ops/ssim/ssim.ts"
import { ssimReference } from "../../src/ops/ssim/ssim.ref.ts"
import { f64 } from "../../src/testing/f64.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"
import { arbImagesOnBackground } from "./imagePairs.ts"

// Images in [0, 1]; small windows keep the Float64 reference fast.
const cases = fc
  .record({ h: fc.integer({ min: 2, max: 6 }), w: fc.integer({ min: 2, max: 6 }), c: fc.integer({ min: 1, max: 3 }), window: fc.constantFrom(3, 5, 11), sigma: fc.double({ min: 0.8, max: 2, noNaN: true }) })
  .chain(({ h, w, c, window, sigma }) =>
    fc.record({ inputs: fc.record({ prediction: arbF64([h, w, c], { min: 0, max: 1 }), target: arbF64([h, w, c], { min: 0, max: 1 }) }), attrs: fc.constant({ window, sigma }) })
  )

checkOp(ssim, { arbitrary: cases, tolerance: "ssim" })

// A person on a plain background: the images agree outside two patches, so the kernels compute only
// around them (the crop, clipped at the image's borders); checked against the whole-image reference.
const onBackground = fc.constantFrom(3, 5, 11).chain((window) => arbImagesOnBackground.map((inputs) => ({ inputs, attrs: { window, sigma: 1.5 } })))

checkOp(ssim, { arbitrary: onBackground, tolerance: "ssim", numRuns: { cpu: 10, wasm: 10, webgpu: 3 } })

it("ssim reference: identical images score 1, unrelated noise scores far below", () => {
  const image = f64([4, 4, 1], Array.from({ length: 16 }, (_, i) => (i * 7) % 5 / 5))
  const same = ssimReference.forward({ prediction: image, target: image }, { window: 3, sigma: 1.5 })
  assert.ok(Math.abs((same.out.data[0] as number) - 1) < 1e-12)
  const other = f64([4, 4, 1], Array.from({ length: 16 }, (_, i) => ((i * 3) % 4) / 4))
  assert.ok((ssimReference.forward({ prediction: image, target: other }, { window: 3, sigma: 1.5 }).out.data[0] as number) < 0.5)
})

it("evaluation's ssim64 (separable, cropped) equals the direct window sum", () => {
  fc.assert(
    fc.property(fc.oneof(cases, onBackground), ({ inputs, attrs }) => {
      const { prediction, target } = inputs
      const direct = ssimReference.forward({ prediction, target }, attrs).out.data[0] as number
      const fast = ssim64(prediction.data, target.data, prediction.shape as [number, number, number], attrs.window, attrs.sigma)
      assert.ok(Math.abs(fast - direct) < 1e-12, `ssim64 ${fast} vs direct ${direct}`)
    }),
    { numRuns: 60 }
  )
})
