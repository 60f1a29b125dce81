/**
 * The optional two-thread SIMD path (threads.ts) gives the single-threaded
 * results: the same pixels and pair count, the same input gradients up to
 * float32 rounding of differently ordered sums.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { cameraSetup } from "../../src/raster/camera.ts"
import { gaussianArrays } from "../../src/raster/gaussians.ts"
import type { RasterThreads } from "../../src/raster/wasm/threads.ts"
import { startRasterThreads } from "../../src/raster/wasm/threads.ts"
import { rasterizeBackwardSimd, rasterizeForwardSimd, singleThreadRunner } from "../../src/raster/wasm/simdRaster.ts"
import { seededUniform } from "../../src/testing/f64.ts"
import { yawCamera } from "./rasterizeScenes.ts"
import { anisotropic, learnedOpacity } from "../../src/ops/rasterize/spec.ts"

const n = 400
const next = seededUniform(11)
const values = (count: number, lo: number, hi: number) => Float32Array.from({ length: count }, () => lo + ((next() + 1) / 2) * (hi - lo))
const g = gaussianArrays(values(n * 3, -1, 1), values(n, 0.01, 0.08), values(n * 4, -1, 1), values(n, 0.2, 1), values(n * 3, 0, 1))
const cam = cameraSetup({ gaussians: anisotropic, opacity: learnedOpacity, fx: 60, fy: 60, cx: 40, cy: 32, worldToCamera: yawCamera(0.2, 4), width: 80, height: 64, near: 0.01, far: 100, background: [1, 1, 1], withDepth: true, smooth: false })
const grads = { image: values(80 * 64 * 3, -1, 1), alpha: values(80 * 64, -1, 1), depth: values(80 * 64, -1, 1) }

describe("rasterize, two wasm threads", () => {
  let threads: RasterThreads | undefined
  before(async () => {
    threads = await startRasterThreads()
  })
  after(async () => {
    await threads?.close()
  })

  it("matches the single-threaded forward and backward", () => {
    const pool = threads as RasterThreads
    const one = singleThreadRunner()
    const single = rasterizeForwardSimd(one, g, cam)
    const split = rasterizeForwardSimd(pool, g, cam)
    assert.deepEqual(split.pixels, single.pixels)
    assert.equal(split.pairs, single.pairs)
    const expected = rasterizeBackwardSimd(one, g, cam, single, grads)
    const actual = rasterizeBackwardSimd(pool, g, cam, split, grads)
    for (const name of ["means", "scales", "rotations", "opacities", "colours"] as const) {
      const e = expected[name]
      const a = actual[name]
      const scale = Math.max(1e-6, ...Array.from(e, Math.abs))
      for (let i = 0; i < e.length; i++) assert.ok(Math.abs((a[i] as number) - (e[i] as number)) <= 1e-5 * scale, `${name}[${i}]: ${a[i]} vs ${e[i]}`)
    }
    assert.ok(Array.from(expected.means).some((v) => v !== 0))
  })
})
