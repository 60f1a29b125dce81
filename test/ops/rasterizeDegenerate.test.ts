/**
 * Degenerate inputs of rasterize on every backend: Gaussians behind the
 * camera, zero and huge scales, everything off-screen, N = 0, pixels that no
 * Gaussian reaches, the float32 early stop of two stacked opaque Gaussians,
 * NaN inputs (rejected with RasterizeInputError on cpu and wasm) and bad cameras.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as tf from "@tensorflow/tfjs"
import { applyOp } from "../../src/ops/apply.ts"
import { evalContext } from "../../src/ops/contract.ts"
import { RasterizeInputError } from "../../src/raster/errors.ts"
import { rasterize } from "../../src/ops/rasterize/rasterize.ts"
import type { RasterizeAttrs } from "../../src/ops/rasterize/spec.ts"
import { testBackends, useBackend } from "../../src/testing/backends.ts"
import { f64 } from "../../src/testing/f64.ts"
import { kernelForward } from "../../src/testing/opChecks.ts"
import { tolerances } from "../../src/testing/tolerances.ts"
import type { RasterCase } from "./rasterizeScenes.ts"
import { compareHard, yawCamera } from "./rasterizeScenes.ts"
import { testedOp } from "../../src/testing/references.ts"

const camera: RasterizeAttrs = {
  fx: 30,
  fy: 30,
  cx: 16,
  cy: 12,
  worldToCamera: yawCamera(0, 4),
  width: 32,
  height: 24,
  near: 0.01,
  far: 100,
  background: [0.2, 0.5, 0.9],
  withDepth: true,
  smooth: false
}

/** n Gaussians at the given world points, isotropic scale s, grey, given rotations and opacities. */
const scene = (points: ReadonlyArray<readonly [number, number, number]>, scale: number, opacity = 0.9): RasterCase => {
  const n = points.length
  return {
    inputs: {
      means: f64([n, 3], points.flat()),
      scales: f64([n, 1], Array.from({ length: n }, () => scale)),
      rotations: f64([n, 4], Array.from({ length: n }, () => [0.9, 0.1, -0.2, 0.3]).flat()),
      opacities: f64([n], Array.from({ length: n }, () => opacity)),
      colours: f64([n, 3], Array.from({ length: n }, (_, i) => [0.3, 0.6, (i + 1) / n]).flat())
    },
    attrs: camera
  }
}

const isBackground = (image: Float64Array, alpha: Float64Array, pixel: number): boolean =>
  camera.background.every((b, c) => Math.abs((image[pixel * 3 + c] as number) - b) < 1e-6) && Math.abs(alpha[pixel] as number) < 1e-6

const everyPixelIsBackground = async (c: RasterCase): Promise<void> => {
  const out = await kernelForward(testedOp(rasterize), c)
  for (let p = 0; p < camera.width * camera.height; p++) assert.ok(isBackground(out["image"] as Float64Array, out["alpha"] as Float64Array, p), `pixel ${p} is not background`)
}

const matchesReference = async (c: RasterCase, backend: keyof typeof tolerances.rasterize): Promise<void> => {
  assert.equal(await compareHard(c, tolerances.rasterize[backend]), undefined)
}

const gradientsOf = async (c: RasterCase): Promise<number[][]> => {
  const names = ["means", "scales", "rotations", "opacities", "colours"] as const
  const grads = tf.tidy(() => {
    const inputs = Object.fromEntries(names.map((n) => [n, tf.tensor(Float32Array.from(c.inputs[n].data), [...c.inputs[n].shape])])) as Record<(typeof names)[number], tf.Tensor>
    const loss = (...xs: tf.Tensor[]) => tf.sum(applyOp(testedOp(rasterize), { ...inputs, ...Object.fromEntries(names.map((n, i) => [n, xs[i] as tf.Tensor])) }, c.attrs, evalContext).image) as tf.Scalar
    return tf.grads(loss)(names.map((n) => inputs[n]))
  })
  const values = await Promise.all(grads.map(async (g) => Array.from(await g.data())))
  tf.dispose(grads)
  return values
}

describe("op rasterize, degenerate inputs", () => {
  for (const backend of testBackends) {
    const check = (label: string, body: () => Promise<void>) =>
      it(`${backend}: ${label}`, async (t) => {
        const ready = await useBackend(backend)
        if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
        await body()
      })

    check("Gaussians behind the camera or beyond far leave the background, with zero gradients", async () => {
      const c = scene([[0, 0, -4.5], [0.1, 0, -6], [0, 0.1, 200]], 0.2)
      await everyPixelIsBackground(c)
      for (const g of await gradientsOf(c)) assert.ok(g.every((v) => v === 0))
    })

    check("everything off-screen leaves the background", async () => {
      await everyPixelIsBackground(scene([[30, 0, 0], [-30, 2, 0], [0, 40, 0.3]], 0.1))
    })

    check("N = 0 renders the background", async () => {
      const empty: RasterCase = {
        inputs: { means: f64([0, 3]), scales: f64([0, 3]), rotations: f64([0, 4]), opacities: f64([0]), colours: f64([0, 3]) },
        attrs: camera
      }
      await everyPixelIsBackground(empty)
    })

    check("zero scales render the 0.3-pixel low-pass blob, as the reference", async () => {
      await matchesReference(scene([[0, 0, 0], [0.3, 0.1, 0.2]], 0), backend)
    })

    check("huge scales cover the image, as the reference", async () => {
      const c = scene([[0, 0, 0], [0.2, 0, 0.5]], 50, 0.6)
      await matchesReference(c, backend)
      for (const g of await gradientsOf(c)) assert.ok(g.every(Number.isFinite))
    })

    check("pixels that no Gaussian reaches keep the background", async () => {
      const c = scene([[-1.6, -1.2, 0]], 0.02)
      const out = await kernelForward(testedOp(rasterize), c)
      assert.ok(isBackground(out["image"] as Float64Array, out["alpha"] as Float64Array, camera.width * camera.height - 1))
      await matchesReference(c, backend)
    })

    check("two stacked opaque Gaussians stop at T = 9.99998e-5 as in float32: the second is not blended", async () => {
      // Centred on pixel (15, 11), whose centre is (15.5, 11.5): both reach the 0.99 cap there.
      const stacked = scene([[0, 0, 0], [0, 0, 0.01], [0, 0, 0.02]], 0.3, 1)
      const c = { ...stacked, attrs: { ...camera, cx: 15.5, cy: 11.5 } }
      await matchesReference(c, backend)
      const alpha = (await kernelForward(testedOp(rasterize), c))["alpha"] as Float64Array
      const centre = alpha[11 * camera.width + 15] as number
      assert.ok(Math.abs(centre - 0.99) < 1e-6, `alpha ${centre}`)
    })

    if (backend !== "webgpu")
      check("NaN inputs are rejected with RasterizeInputError", async () => {
        const c = scene([[0, 0, 0]], 0.1)
        const bad = { ...c, inputs: { ...c.inputs, means: f64([1, 3], [0, Number.NaN, 0]) } }
        await assert.rejects(kernelForward(testedOp(rasterize), bad), (e: unknown) => e instanceof RasterizeInputError && /means/.test(e.message))
      })

    check("a camera with near <= 0 is rejected with RasterizeInputError", async () => {
      const c = scene([[0, 0, 0]], 0.1)
      await assert.rejects(kernelForward(testedOp(rasterize), { ...c, attrs: { ...camera, near: 0 } }), (e: unknown) => e instanceof RasterizeInputError && /near/.test(e.message))
    })
  }
})

describe("op rasterize, tensor bookkeeping", () => {
  for (const backend of testBackends)
    it(`${backend}: forward and backward leave no tensors or backend buffers behind`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
      const c = scene([[0, 0, 0], [0.2, 0.1, 0.3]], 0.1)
      await gradientsOf(c)
      const buffers = () => tf.engine().backend.numDataIds()
      const before = [tf.memory().numTensors, buffers()]
      for (let k = 0; k < 3; k++) await gradientsOf(c)
      assert.deepEqual([tf.memory().numTensors, buffers()], before)
    })
})
