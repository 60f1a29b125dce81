/**
 * The WGSL binning (src/ops/rasterize/wgsl/binning.ts) against the CPU
 * kernel's binGaussians (tiles.ts) run on the splats the WGSL projection
 * wrote: the total number of (tile, Gaussian) pairs and every tile's list in
 * (depth, index) order, on random scenes (Gaussians behind the camera,
 * off-screen, spanning many tiles; more Gaussians than a workgroup, tile lists
 * longer than one 256-entry batch), N = 0 and nothing on screen. A scene with
 * more pairs than the pair capacity must report the overflow, fall back to the
 * whole depth-sorted list, and still render and differentiate as the reference.
 * WebGPU only: without an adapter this is a skip, or a failure when
 * GAVATAR_REQUIRE_WEBGPU=1.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as tf from "@tensorflow/tfjs"
import * as fc from "fast-check"
import { cameraSetup } from "../../src/raster/camera.ts"
import { P, projectedStride } from "../../src/raster/gaussians.ts"
import { forwardKernelName } from "../../src/raster/kernelNames.ts"
import { rasterize } from "../../src/ops/rasterize/rasterize.ts"
import { registerOpKernels } from "../../src/ops/apply.ts"
import { anisotropic, learnedOpacity } from "../../src/ops/rasterize/spec.ts"
import type { RasterizeAttrs, rasterizeSpec } from "../../src/ops/rasterize/spec.ts"
import { binGaussians, depthOrder } from "../../src/raster/tiles.ts"
import { pairCapacity } from "../../src/raster/wgsl/binning.ts"
import { S, splatStride } from "../../src/raster/wgsl/common.ts"
import { BINS, binsListOffset } from "../../src/raster/wgsl/tileBins.ts"
import { isRequired, testBackends, useBackend } from "../../src/testing/backends.ts"
import { f64, seededUniform } from "../../src/testing/f64.ts"
import { arbF64 } from "../../src/testing/harness.ts"
import { checkVjp, roundCase } from "../../src/testing/opChecks.ts"
import { tolerances } from "../../src/testing/tolerances.ts"
import type { RasterCase } from "./rasterizeScenes.ts"
import { arbCamera, compareHard, yawCamera } from "./rasterizeScenes.ts"
import type { TestedOp } from "../../src/testing/references.ts"
import { testedOp } from "../../src/testing/references.ts"

const inputNames = ["means", "scales", "rotations", "opacities", "colours"] as const

/** The WGSL forward's saved splats (N, 16) and bins of a scene. */
const gpuBinning = async (c: RasterCase): Promise<{ readonly splats: Float32Array; readonly bins: Int32Array }> => {
  registerOpKernels(rasterize)
  const outputs = tf.tidy(() => {
    const inputs = Object.fromEntries(inputNames.flatMap((n) => { const x = c.inputs[n]; return x ? [[n, tf.tensor(Float32Array.from(x.data), [...x.shape])]] : [] }))
    return tf.engine().runKernel(forwardKernelName, inputs, c.attrs as unknown as tf.NamedAttrMap) as tf.Tensor[]
  })
  const [splats, bins] = await Promise.all([(outputs[1] as tf.Tensor).data(), (outputs[2] as tf.Tensor).data()])
  tf.dispose(outputs)
  return { splats: splats as Float32Array, bins: bins as Int32Array }
}

/** The CPU kernel's projected layout filled from the WGSL splats. */
const projectedOf = (splats: Float32Array, n: number): Float32Array => {
  const projected = new Float32Array(n * projectedStride)
  for (let i = 0; i < n; i++) for (const field of Object.keys(P) as Array<keyof typeof P>) projected[i * projectedStride + P[field]] = splats[i * splatStride + S[field]] as number
  return projected
}

const sameList = (label: string, actual: ArrayLike<number>, expected: ArrayLike<number>): string | undefined =>
  actual.length === expected.length && Array.from(actual).every((v, k) => v === expected[k]) ? undefined : `${label}: [${Array.from(actual).join(", ")}], expected [${Array.from(expected).join(", ")}]`

/** Undefined when the WGSL bins agree with binGaussians (or with the whole depth order, after an overflow). */
const binningProblem = (c: RasterCase, splats: Float32Array, bins: Int32Array): string | undefined => {
  const n = c.inputs.means.shape[0] as number
  const cam = cameraSetup(c.attrs)
  const tiles = cam.tilesX * cam.tilesY
  const projected = projectedOf(splats, n)
  const expected = binGaussians(projected, n, cam)
  const total = expected.tileList.length
  if (bins[BINS.total] !== total) return `total ${bins[BINS.total]} pairs, binGaussians ${total}`
  const overflowed = total > pairCapacity(n, tiles)
  if (bins[BINS.overflowed] !== (overflowed ? 1 : 0)) return `overflow flag ${bins[BINS.overflowed]} with ${total} pairs for ${pairCapacity(n, tiles)} slots`
  const list = bins.subarray(binsListOffset(tiles))
  const kept = depthOrder(projected, n)
  const culled = Array.from({ length: n }, (_, i) => i).filter((i) => !kept.includes(i))
  for (let t = 0; t < tiles; t++) {
    const start = bins[BINS.ranges + 2 * t] as number
    const end = bins[BINS.ranges + 2 * t + 1] as number
    const want = overflowed ? [...kept, ...culled] : expected.tileList.subarray(expected.tileOffsets[t], expected.tileOffsets[t + 1])
    const problem = sameList(`tile ${t} of ${tiles}`, list.subarray(start, end), want)
    if (problem) return problem
  }
  return undefined
}

interface BinSceneOptions {
  readonly minGaussians: number
  readonly maxGaussians: number
  readonly maxSize: number
  readonly maxScale: number
  /** Means in x, y in [-spread, spread]; z in [-4.5, 1] (the camera is at z = -4: some are behind it). */
  readonly spread: number
}

const arbBinScene = (o: BinSceneOptions): fc.Arbitrary<RasterCase> =>
  fc.integer({ min: o.minGaussians, max: o.maxGaussians }).chain((n) =>
    fc.record({
      inputs: fc.record({
        means: arbF64([n, 3], { min: -1, max: 1 }).map((m) => ({ shape: m.shape, data: m.data.map((v, i) => (i % 3 === 2 ? -1.75 + 2.75 * v : o.spread * v)) })),
        scales: arbF64([n, 3], { min: 0.005, max: o.maxScale }),
        rotations: arbF64([n, 4], { min: 0.2, max: 1 }),
        opacities: arbF64([n], { min: 0.05, max: 1 }),
        colours: arbF64([n, 3], { min: 0, max: 1 })
      }),
      attrs: arbCamera(o.maxSize, false).map((a) => ({ ...a, gaussians: anisotropic, opacity: learnedOpacity }))
    })
  )

/** 64x64 pixels, 4 x 4 tiles. */
const camera64: RasterizeAttrs = {
  gaussians: anisotropic,
  opacity: learnedOpacity,
  fx: 64,
  fy: 64,
  cx: 32,
  cy: 32,
  worldToCamera: yawCamera(0, 4),
  width: 64,
  height: 64,
  near: 0.01,
  far: 100,
  background: [0.2, 0.5, 0.9],
  withDepth: true,
  smooth: false
}

/**
 * n Gaussians of the given scale range within `spread` of (centre, centre, 0),
 * depths 1.2 / n apart (so the smooth mode's finite differences keep their order).
 */
const stackedScene = (n: number, minScale: number, maxScale: number, spread: number, seed: number, centre = 0): RasterCase => {
  const next = seededUniform(seed)
  const u = (lo: number, hi: number) => lo + ((next() + 1) / 2) * (hi - lo)
  return {
    inputs: {
      means: f64([n, 3], Array.from({ length: n }, (_, i) => [centre + u(-spread, spread), centre + u(-spread, spread), -0.6 + (1.2 * i) / n]).flat()),
      scales: f64([n, 3], Array.from({ length: 3 * n }, () => u(minScale, maxScale))),
      rotations: f64([n, 4], Array.from({ length: 4 * n }, () => u(0.2, 1))),
      opacities: f64([n], Array.from({ length: n }, () => u(0.05, 0.6))),
      colours: f64([n, 3], Array.from({ length: 3 * n }, () => u(0, 1)))
    },
    attrs: camera64
  }
}

const checkBinning = async (c: RasterCase): Promise<void> => {
  const { splats, bins } = await gpuBinning(c)
  assert.equal(binningProblem(c, splats, bins), undefined)
}

describe("op rasterize, WGSL binning into 16x16 tiles", () => {
  if (!testBackends.includes("webgpu")) return
  const check = (label: string, body: (op: TestedOp<typeof rasterizeSpec>) => Promise<void>) =>
    it(`webgpu: ${label}`, async (t) => {
      const ready = await useBackend("webgpu")
      if (!ready.ok) {
        if (isRequired("webgpu")) throw new Error(`backend webgpu is required here: ${ready.reason}`)
        return t.skip(`no webgpu: ${ready.reason}`)
      }
      await body(testedOp(rasterize, ready.target))
    })

  check("random scenes (culled, off-screen and many-tile Gaussians) bin as binGaussians", async () => {
    await fc.assert(fc.asyncProperty(arbBinScene({ minGaussians: 0, maxGaussians: 40, maxSize: 80, maxScale: 0.3, spread: 2.5 }), async (c) => checkBinning(roundCase(c))), { numRuns: 8, endOnFailure: true })
  })

  check("more Gaussians than a workgroup bin as binGaussians", async () => {
    await fc.assert(fc.asyncProperty(arbBinScene({ minGaussians: 300, maxGaussians: 360, maxSize: 64, maxScale: 0.1, spread: 0.4 }), async (c) => checkBinning(roundCase(c))), { numRuns: 2, endOnFailure: true })
  })

  check("more than 2048 pairs (a sort over several 512-key chunks) bin as binGaussians", async () => {
    const spread = roundCase(stackedScene(500, 0.1, 0.3, 1.5, 9))
    const { splats, bins } = await gpuBinning(spread)
    assert.ok((bins[BINS.total] as number) > 2048 && bins[BINS.overflowed] === 0, `${bins[BINS.total]} pairs, overflowed ${bins[BINS.overflowed]}`)
    assert.equal(binningProblem(spread, splats, bins), undefined)
  })

  check("N = 0 and nothing on screen give no pairs and empty tiles", async () => {
    const empty: RasterCase = { inputs: { means: f64([0, 3]), scales: f64([0, 3]), rotations: f64([0, 4]), opacities: f64([0]), colours: f64([0, 3]) }, attrs: camera64 }
    const offScreen = stackedScene(5, 0.05, 0.1, 0.2, 3)
    const behind: RasterCase = { ...offScreen, inputs: { ...offScreen.inputs, means: f64([5, 3], offScreen.inputs.means.data.map((v, i) => (i % 3 === 2 ? v - 10 : v))) } }
    for (const c of [empty, behind]) {
      const { splats, bins } = await gpuBinning(c)
      assert.equal(bins[BINS.total], 0)
      for (let t = 0; t < 16; t++) assert.equal(bins[BINS.ranges + 2 * t], bins[BINS.ranges + 2 * t + 1])
      assert.equal(binningProblem(c, splats, bins), undefined)
    }
  })

  check("a 300-Gaussian pile in one tile renders as the reference (its list spans two batches of 256)", async (op) => {
    // Centred on pixel (40, 40), the middle of tile (2, 2).
    const pile = roundCase(stackedScene(300, 0.02, 0.08, 0.2, 5, 0.5))
    const { bins } = await gpuBinning(pile)
    const longest = Math.max(...Array.from({ length: 16 }, (_, t) => (bins[BINS.ranges + 2 * t + 1] as number) - (bins[BINS.ranges + 2 * t] as number)))
    assert.ok(longest > 256 && bins[BINS.overflowed] === 0, `longest tile list ${longest}, overflowed ${bins[BINS.overflowed]}`)
    assert.equal(await compareHard(pile, tolerances.rasterize.webgpu, op), undefined)
  })

  check("more pairs than the capacity: overflow flagged, image and gradients still match the reference", async (op) => {
    const huge = roundCase(stackedScene(24, 0.6, 1, 0.3, 7))
    const { splats, bins } = await gpuBinning(huge)
    assert.equal(bins[BINS.overflowed], 1, `${bins[BINS.total]} pairs for ${pairCapacity(24, 16)} slots`)
    assert.equal(binningProblem(huge, splats, bins), undefined)
    assert.equal(await compareHard(huge, tolerances.rasterize.webgpu, op), undefined)
    const smooth = { ...huge, attrs: { ...huge.attrs, smooth: true } }
    assert.equal(await checkVjp(op, smooth, tolerances.rasterize.webgpu, 11), undefined)
  })
})
