/** Render cameras: an orbit keeps the pivot where the camera sees it and moves the camera on a circle; intrinsics rescale with the image. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { orbitExtrinsic, scaleIntrinsic } from "../../src/avatar/cameras.ts"

/** A camera 3 m in front of the origin looking at it, slightly tilted, with OpenCV axes. */
const tilt = 0.2
const extrinsic = [1, 0, 0, 0.1, 0, -Math.cos(tilt), Math.sin(tilt), 0.2, 0, -Math.sin(tilt), -Math.cos(tilt), 3, 0, 0, 0, 1]
const pivot = [0.05, 0.3, -0.1]

const apply = (e: ArrayLike<number>, p: ArrayLike<number>) => [0, 1, 2].map((i) => (e[4 * i] as number) * (p[0] as number) + (e[4 * i + 1] as number) * (p[1] as number) + (e[4 * i + 2] as number) * (p[2] as number) + (e[4 * i + 3] as number))
const centre = (e: ArrayLike<number>) => [0, 1, 2].map((j) => -[0, 1, 2].reduce((s, i) => s + (e[4 * i + j] as number) * (e[4 * i + 3] as number), 0))
const close = (a: ReadonlyArray<number>, b: ReadonlyArray<number>, tol = 1e-9) => a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < tol, `${a} vs ${b}`))

describe("orbitExtrinsic", () => {
  it("is the identity at 0 and 360 degrees", () => {
    close(Array.from(orbitExtrinsic(extrinsic, pivot, 0)), extrinsic)
    close(Array.from(orbitExtrinsic(extrinsic, pivot, 360)), extrinsic)
  })
  it("keeps the pivot at the same camera coordinates, the camera at the same distance, and a rotation matrix", () => {
    for (const degrees of [30, 90, 180, -45]) {
      const moved = orbitExtrinsic(extrinsic, pivot, degrees)
      close(apply(moved, pivot), apply(extrinsic, pivot))
      const before = centre(extrinsic).map((c, i) => c - (pivot[i] as number))
      const after = centre(moved).map((c, i) => c - (pivot[i] as number))
      assert.ok(Math.abs(Math.hypot(...before) - Math.hypot(...after)) < 1e-9)
      // Seen along the camera's vertical axis (minus the second row of its rotation), the offset turned by `degrees`.
      const axis = [-(extrinsic[4] as number), -(extrinsic[5] as number), -(extrinsic[6] as number)]
      const flat = (v: ReadonlyArray<number>) => {
        const along = v.reduce((s, x, i) => s + x * (axis[i] as number), 0)
        return v.map((x, i) => x - along * (axis[i] as number))
      }
      const [b, a] = [flat(before), flat(after)]
      const cos = b.reduce((s, v, i) => s + v * (a[i] as number), 0) / (Math.hypot(...b) * Math.hypot(...a))
      assert.ok(Math.abs(cos - Math.cos((degrees * Math.PI) / 180)) < 1e-9, `cos ${cos} at ${degrees} degrees`)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
        const dot = [0, 1, 2].reduce((s, k) => s + (moved[4 * i + k] as number) * (moved[4 * j + k] as number), 0)
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9)
      }
    }
  })
  it("moves the camera: 180 degrees puts it behind the pivot", () => {
    const behind = centre(orbitExtrinsic(extrinsic, pivot, 180))
    const front = centre(extrinsic)
    assert.ok(Math.sign((behind[2] as number) - (pivot[2] as number)) !== Math.sign((front[2] as number) - (pivot[2] as number)))
  })
})

describe("scaleIntrinsic", () => {
  it("scales focal lengths and keeps the principal point at the same place of the image", () => {
    const k = scaleIntrinsic([100, 0, 31.5, 0, 120, 23.5, 0, 0, 1], { width: 64, height: 48 }, { width: 128, height: 96 })
    close(Array.from(k), [200, 0, 63.5, 0, 240, 47.5, 0, 0, 1])
  })
})
