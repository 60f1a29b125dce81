/**
 * Smoothing along time (src/math/spline.ts) and continuous axis-angle sequences (unwrapAxisAngle):
 * the spline keeps cubic motion, removes most independent per-frame noise, and a full turn unwrapped
 * frame after frame has no jump.
 */
import fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { angleBetween, unwrapAxisAngle } from "../../src/math/rotation.ts"
import { createRng } from "../../src/math/rng.ts"
import { controlPointCount, cubicBSpline, smoothAlongTime, splineBasis } from "../../src/math/spline.ts"

const rms = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2
  return Math.sqrt(s / a.length)
}

describe("splines along time", () => {
  it("the kernel's weights of any frame sum to 1 (partition of unity)", () =>
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 12 }), (frames, spacing) => {
        const K = controlPointCount(frames, spacing)
        const basis = splineBasis(frames, spacing)
        for (let t = 0; t < frames; t++) {
          const sum = Array.from({ length: K }, (_, k) => basis[t * K + k] as number).reduce((a, b) => a + b, 0)
          assert.ok(Math.abs(sum - 1) < 1e-12, `frame ${t}: ${sum}`)
        }
      })
    ))

  it("the kernel is 2/3 at 0, 1/6 at +-1, 0 from +-2", () => {
    assert.equal(cubicBSpline(0), 2 / 3)
    assert.ok(Math.abs(cubicBSpline(1) - 1 / 6) < 1e-15 && Math.abs(cubicBSpline(-1) - 1 / 6) < 1e-15)
    assert.equal(cubicBSpline(2), 0)
    assert.equal(cubicBSpline(-2.5), 0)
  })

  it("keeps cubic motion (up to the ridge)", () =>
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 80 }), fc.integer({ min: 2, max: 8 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), (frames, spacing, c) => {
        const values = Float64Array.from({ length: frames }, (_, t) => {
          const x = t / frames
          return c[0]! + c[1]! * x + c[2]! * x * x + c[3]! * x * x * x
        })
        assert.ok(rms(smoothAlongTime(values, frames, 1, spacing), values) < 1e-4)
      })
    ))

  it("removes most of independent per-frame noise on a smooth motion", () => {
    const rng = createRng(3)
    const frames = 100
    const truth = Float64Array.from({ length: frames * 2 }, (_, i) => Math.sin((2 * Math.PI * Math.floor(i / 2)) / frames + (i % 2)))
    const noisy = truth.map((v) => v + 0.05 * rng.normal())
    const smoothed = smoothAlongTime(noisy, frames, 2, 6)
    assert.ok(rms(smoothed, truth) < rms(noisy, truth) / 2, `${rms(smoothed, truth)} vs ${rms(noisy, truth)}`)
  })
})

describe("unwrapAxisAngle", () => {
  it("is the same rotation, and the nearest of its axis-angle vectors to the reference", () =>
    fc.assert(
      fc.property(fc.array(fc.double({ min: -7, max: 7, noNaN: true }), { minLength: 6, maxLength: 6 }), (v) => {
        const r = v.slice(0, 3)
        const reference = v.slice(3)
        if (Math.hypot(r[0]!, r[1]!, r[2]!) < 1e-6) return
        const u = unwrapAxisAngle(r, reference)
        assert.ok(angleBetween(u, r) < 1e-6)
        const angle = Math.hypot(...u)
        const axis = u.map((x) => x / angle)
        for (const k of [-1, 1]) {
          const other = axis.map((a) => a * (angle + 2 * Math.PI * k))
          assert.ok(Math.hypot(...u.map((x, i) => x - reference[i]!)) <= Math.hypot(...other.map((x, i) => x - reference[i]!)) + 1e-9)
        }
      })
    ))

  it("makes a full turn continuous", () => {
    let previous: [number, number, number] = [0, 0, 0]
    for (let i = 1; i <= 40; i++) {
      const angle = (2 * Math.PI * i) / 40
      const wrapped = [0, angle <= Math.PI ? angle : angle - 2 * Math.PI, 0]
      const u = unwrapAxisAngle(wrapped, previous)
      assert.ok(Math.abs(u[1] - previous[1]) < 0.2, `frame ${i}: ${u[1]} after ${previous[1]}`)
      previous = u
    }
    assert.ok(Math.abs(previous[1] - 2 * Math.PI) < 1e-9)
  })
})
