import * as fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { texelCorners, uvMaps } from "../../src/ops/uvMaps/uvMaps.ts"

/**
 * An n x n grid of quads over the unit square, two triangles each, inner
 * vertices jittered by less than a third of a cell (no triangle flips), lifted
 * to 3D as (u, v, u v) with random weights over 3 joints.
 */
const arbGridMesh = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    jitter: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2 * (n + 1) ** 2, maxLength: 2 * (n + 1) ** 2 }),
    weights: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 3 * (n + 1) ** 2, maxLength: 3 * (n + 1) ** 2 })
  })
)

const gridMesh = ({ n, jitter, weights }: { n: number; jitter: number[]; weights: number[] }) => {
  const count = (n + 1) ** 2
  const vt = new Float64Array(2 * count)
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= n; j++) {
      const v = i * (n + 1) + j
      const inner = (k: number) => k > 0 && k < n
      vt[2 * v] = (j + (inner(j) ? jitter[2 * v]! : 0)) / n
      vt[2 * v + 1] = (i + (inner(i) ? jitter[2 * v + 1]! : 0)) / n
    }
  const faces: number[] = []
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = i * (n + 1) + j
      faces.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1)
    }
  const vertices = new Float64Array(3 * count)
  for (let v = 0; v < count; v++) vertices.set([vt[2 * v]!, vt[2 * v + 1]!, vt[2 * v]! * vt[2 * v + 1]!], 3 * v)
  const w = Float64Array.from(weights)
  for (let v = 0; v < count; v++) {
    const s = w[3 * v]! + w[3 * v + 1]! + w[3 * v + 2]!
    for (let k = 0; k < 3; k++) w[3 * v + k]! /= s
  }
  const f = Uint32Array.from(faces)
  return { vertices, faces: f, uv: { vt, ft: f }, weights: w, jointCount: 3 }
}

describe("uvMaps", () => {
  it("a mesh tiling the unit square covers every texel once, with barycentrics that reproduce the texel centre", () => {
    fc.assert(
      fc.property(arbGridMesh, fc.integer({ min: 1, max: 20 }), (params, size) => {
        const mesh = gridMesh(params)
        const maps = uvMaps(mesh, size)
        assert.equal(maps.validTexels.length, size * size)
        for (let t = 0; t < size * size; t++) {
          const f = maps.faceId[t]!
          const b = [0, 1, 2].map((k) => maps.bary[3 * t + k]!)
          assert.ok(b.every((x) => x >= -1e-12 && x <= 1 + 1e-12))
          assert.ok(Math.abs(b[0]! + b[1]! + b[2]! - 1) < 1e-12)
          const u = b.reduce((s, x, k) => s + x * mesh.uv.vt[2 * mesh.uv.ft[3 * f + k]!]!, 0)
          const v = b.reduce((s, x, k) => s + x * mesh.uv.vt[2 * mesh.uv.ft[3 * f + k]! + 1]!, 0)
          assert.ok(Math.abs(u - ((t % size) + 0.5) / size) < 1e-9 && Math.abs(v - (Math.floor(t / size) + 0.5) / size) < 1e-9)
          // positions are (u, v, interpolated uv): the first two equal the texel centre
          assert.ok(Math.abs(maps.positions[3 * t]! - u) < 1e-9 && Math.abs(maps.positions[3 * t + 1]! - v) < 1e-9)
          assert.ok(Math.abs(maps.weights[3 * t]! + maps.weights[3 * t + 1]! + maps.weights[3 * t + 2]! - 1) < 1e-9)
        }
      }),
      { numRuns: 150 }
    )
  })

  it("leaves texels outside every triangle invalid and zero", () => {
    const mesh = { vertices: Float64Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0), faces: Uint32Array.of(0, 1, 2), uv: { vt: Float64Array.of(0, 0, 0.5, 0, 0, 0.5), ft: Uint32Array.of(0, 1, 2) }, weights: Float64Array.of(1, 1, 1), jointCount: 1 }
    const maps = uvMaps(mesh, 8)
    const corner = 7 * 8 + 7
    assert.equal(maps.valid[corner], 0)
    assert.equal(maps.faceId[corner], -1)
    assert.deepEqual(Array.from(maps.positions.subarray(3 * corner, 3 * corner + 3)), [0, 0, 0])
    assert.ok(maps.validTexels.length > 0 && maps.validTexels.length < 64)
  })

  it("on the open body: valid texels have a face, barycentrics summing to 1, weights summing to 1; texelCorners agree", () => {
    const body = openBody()
    const maps = uvMaps({ vertices: body.vTemplate, faces: body.faces, uv: body.uv, weights: body.weights, jointCount: 24 }, 128)
    const { texelVertices, texelBary } = texelCorners(maps, body.faces)
    maps.valid.forEach((ok, t) => {
      if (!ok) return
      const f = maps.faceId[t]!
      assert.ok(f >= 0 && f < body.faces.length / 3)
      assert.ok(Math.abs(texelBary[3 * t]! + texelBary[3 * t + 1]! + texelBary[3 * t + 2]! - 1) < 1e-9)
      let w = 0
      for (let j = 0; j < 24; j++) w += maps.weights[24 * t + j]!
      assert.ok(Math.abs(w - 1) < 1e-9)
      for (let k = 0; k < 3; k++) assert.equal(texelVertices[3 * t + k], body.faces[3 * f + k])
    })
    assert.ok(maps.validTexels.length / (128 * 128) >= 0.6)
  })
})
