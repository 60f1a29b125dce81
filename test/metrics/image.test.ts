/** PSNR inside a mask (src/metrics/image.ts maskedPsnr64): pixels outside the mask do not count. */
import fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { maskedPsnr64, psnr64 } from "../../src/metrics/image.ts"

const image = (pixels: number) => fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3 * pixels, maxLength: 3 * pixels })

describe("maskedPsnr64", () => {
  it("is the full PSNR under a full mask", () =>
    fc.assert(
      fc.property(image(12), image(12), (a, b) => {
        const full = psnr64(a, b, 1)
        const masked = maskedPsnr64(a, b, new Float64Array(12).fill(1), 1)
        assert.ok(full === masked || Math.abs(full - masked) < 1e-9, `${masked} vs ${full}`)
      })
    ))

  it("ignores every pixel outside the mask", () => {
    const truth = new Float64Array(3 * 4).fill(0.5)
    const render = Float64Array.from(truth)
    render.fill(0, 6) // pixels 2 and 3 wrong
    render[0] = 0.6 // pixel 0 off by 0.1 in one channel
    const mask = Float64Array.of(1, 1, 0, 0)
    // inside: pixels 0 and 1, 6 numbers, one off by 0.1: mse 0.01 / 6
    assert.ok(Math.abs(maskedPsnr64(render, truth, mask, 1) - 10 * Math.log10(6 / 0.01)) < 1e-9)
    assert.equal(maskedPsnr64(render, truth, new Float64Array(4), 1), Number.POSITIVE_INFINITY)
  })
})
