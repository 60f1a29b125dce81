/**
 * The mesh rasteriser against analytic cases: coverage and depth of one
 * triangle, perspective-correct interpolation on a slanted quad, z-buffer order,
 * shared edges covered once.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { type Camera, centredIntrinsic, lookAt, toScreen } from "../../src/synth/camera.ts"
import { createTarget, rasterize } from "../../src/synth/raster.ts"

const covered = (face: Int32Array, f: number): number => face.reduce((n, x) => n + (x === f ? 1 : 0), 0)

/** Inside test of a pixel centre against a triangle, by brute force with a strict margin. */
const strictlyInside = (px: number, py: number, t: ReadonlyArray<readonly [number, number]>): boolean => {
  const s = (a: readonly [number, number], b: readonly [number, number]) => (b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0])
  const e = [s(t[0]!, t[1]!), s(t[1]!, t[2]!), s(t[2]!, t[0]!)]
  return e.every((v) => v > 1e-9) || e.every((v) => v < -1e-9)
}

describe("mesh rasteriser", () => {
  it("covers exactly the pixel centres inside one triangle, at its depth", () => {
    const corners: ReadonlyArray<readonly [number, number]> = [[3.3, 2.7], [40.2, 10.1], [12.6, 33.9]]
    const screen = Float64Array.from(corners.flatMap(([x, y]) => [x, y, 2.5]))
    const target = createTarget(48, 40)
    rasterize(target, screen, Uint32Array.of(0, 1, 2))
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 48; j++) {
        const p = i * 48 + j
        assert.equal(target.face[p] === 0, strictlyInside(j, i, corners), `pixel (${j}, ${i})`)
        if (target.face[p] === 0) assert.ok(Math.abs(target.depth[p]! - 2.5) < 1e-12)
      }
    // Area (shoelace) vs count of covered centres.
    const area = Math.abs((40.2 - 3.3) * (33.9 - 2.7) - (12.6 - 3.3) * (10.1 - 2.7)) / 2
    assert.ok(Math.abs(covered(target.face, 0) - area) < 0.1 * area)
  })

  it("two triangles sharing an edge cover every pixel of their square once", () => {
    // Square with corners exactly on pixel centres: the diagonal and the outer edges cross many centres.
    const screen = Float64Array.of(2, 2, 1, 12, 2, 1, 12, 12, 1, 2, 12, 1)
    const target = createTarget(16, 16)
    const counts = new Int32Array(16 * 16)
    for (const tri of [Uint32Array.of(0, 1, 2), Uint32Array.of(0, 2, 3)]) {
      target.depth.fill(Infinity)
      target.face.fill(-1)
      rasterize(target, screen, tri)
      target.face.forEach((f, p) => (counts[p]! += f >= 0 ? 1 : 0))
    }
    assert.ok(counts.every((c) => c <= 1), "no pixel covered twice")
    // Half-open ownership: 10 x 10 of the 11 x 11 centres on the closed square.
    assert.equal(counts.reduce((a, b) => a + b, 0), 100)
  })

  it("depth and texture coordinates of a slanted quad are perspective-correct", () => {
    const camera: Camera = { width: 64, height: 64, intrinsic: centredIntrinsic(70, 64, 64), extrinsic: lookAt([0, 0, 0], [0, 0, 1], [0, -1, 0]) }
    // A parallelogram from depth 1 to depth 4; (u, v) is affine on it.
    const origin = [-0.8, -0.6, 1], du = [1.6, 0, 3], dv = [0, 1.2, 0]
    const world = Float64Array.from([[0, 0], [1, 0], [1, 1], [0, 1]].flatMap(([u, v]) => [0, 1, 2].map((c) => origin[c]! + u! * du[c]! + v! * dv[c]!)))
    const screen = toScreen(camera, world)
    const faces = Uint32Array.of(0, 1, 2, 0, 2, 3)
    const uv = [[0, 0], [1, 0], [1, 1], [0, 1]]
    const target = createTarget(64, 64)
    rasterize(target, screen, faces)
    // Plane of the quad: normal n = du x dv, n . X = n . origin.
    const n = [du[1]! * dv[2]! - du[2]! * dv[1]!, du[2]! * dv[0]! - du[0]! * dv[2]!, du[0]! * dv[1]! - du[1]! * dv[0]!]
    const c = n[0]! * origin[0]! + n[1]! * origin[1]! + n[2]! * origin[2]!
    let checked = 0
    let worstAffine = 0
    for (let p = 0; p < 64 * 64; p++) {
      const f = target.face[p]!
      if (f < 0) continue
      // The ray through the pixel centre, in camera = world coordinates (x right, y down).
      const ray = [(p % 64 - 31.5) / 70, (Math.floor(p / 64) - 31.5) / 70, 1]
      const z = c / (n[0]! * ray[0]! + n[1]! * ray[1]! + n[2]! * ray[2]!)
      assert.ok(Math.abs(target.depth[p]! - z) < 1e-9, `depth at pixel ${p}`)
      const u = (z * ray[0]! - origin[0]!) / du[0]!
      const v = (z * ray[1]! - origin[1]!) / dv[1]!
      let ru = 0, rv = 0
      for (let k = 0; k < 3; k++) {
        const corner = faces[3 * f + k]!
        ru += target.bary[3 * p + k]! * uv[corner]![0]!
        rv += target.bary[3 * p + k]! * uv[corner]![1]!
      }
      assert.ok(Math.abs(ru - u) < 1e-9 && Math.abs(rv - v) < 1e-9, `uv at pixel ${p}: (${ru}, ${rv}) vs (${u}, ${v})`)
      // Screen-space (not perspective-correct) weights l_k = b_k z_k / z give a visibly different u.
      let affineU = 0
      for (let k = 0; k < 3; k++) affineU += ((target.bary[3 * p + k]! * screen[3 * faces[3 * f + k]! + 2]!) / z) * uv[faces[3 * f + k]!]![0]!
      worstAffine = Math.max(worstAffine, Math.abs(affineU - u))
      checked++
    }
    assert.ok(checked > 500, `only ${checked} pixels covered`)
    // The check above can fail: u is far from affine in screen space on this quad.
    assert.ok(worstAffine > 0.05, `screen-space interpolation differs by only ${worstAffine}`)
  })

  it("the nearer triangle wins whatever the drawing order", () => {
    const near = [5, 5, 2, 30, 5, 2, 5, 30, 2]
    const far = [8, 8, 3, 30, 30, 3, 0, 30, 3]
    for (const order of [[near, far], [far, near]]) {
      const screen = Float64Array.from(order.flat())
      const target = createTarget(32, 32)
      rasterize(target, screen, Uint32Array.of(0, 1, 2, 3, 4, 5))
      const nearFace = order[0] === near ? 0 : 1
      const p = 12 * 32 + 12 // inside both
      assert.equal(target.face[p], nearFace)
      assert.equal(target.depth[p], 2)
      assert.equal(target.face[28 * 32 + 28], 1 - nearFace, "only the far triangle covers (28, 28)")
    }
  })
})
