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
import type { RasterizeAttrs, rasterizeSpec } from "../../src/ops/rasterize/spec.ts"
import { isotropic, learnedOpacity, opaque } from "../../src/ops/rasterize/spec.ts"
import { testBackends, useBackend } from "../../src/testing/backends.ts"
import { f64 } from "../../src/testing/f64.ts"
import { kernelForward } from "../../src/testing/opChecks.ts"
import { tolerances } from "../../src/testing/tolerances.ts"
import type { RasterCase } from "./rasterizeScenes.ts"
import { compareHard, yawCamera } from "./rasterizeScenes.ts"
import type { TestedOp } from "../../src/testing/references.ts"
import { testedOp } from "../../src/testing/references.ts"

const camera: RasterizeAttrs = {
  gaussians: isotropic,
  opacity: learnedOpacity,
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

/** n isotropic Gaussians at the given world points, scale s, grey, with the given opacity. */
const scene = (points: ReadonlyArray<readonly [number, number, number]>, scale: number, opacity = 0.9): RasterCase => {
  const n = points.length
  return {
    inputs: {
      means: f64([n, 3], points.flat()),
      scales: f64([n, 1], Array.from({ length: n }, () => scale)),
      opacities: f64([n], Array.from({ length: n }, () => opacity)),
      colours: f64([n, 3], Array.from({ length: n }, (_, i) => [0.3, 0.6, (i + 1) / n]).flat())
    },
    attrs: camera
  }
}

const isBackground = (image: Float64Array, alpha: Float64Array, pixel: number): boolean =>
  camera.background.every((b, c) => Math.abs((image[pixel * 3 + c] as number) - b) < 1e-6) && Math.abs(alpha[pixel] as number) < 1e-6

type Rasterize = TestedOp<typeof rasterizeSpec>

const everyPixelIsBackground = async (op: Rasterize, c: RasterCase): Promise<void> => {
  const out = await kernelForward(op, c)
  for (let p = 0; p < camera.width * camera.height; p++) assert.ok(isBackground(out["image"] as Float64Array, out["alpha"] as Float64Array, p), `pixel ${p} is not background`)
}

const matchesReference = async (op: Rasterize, c: RasterCase, backend: keyof typeof tolerances.rasterize): Promise<void> => {
  assert.equal(await compareHard(c, tolerances.rasterize[backend], op), undefined)
}

const gradientsOf = async (op: Rasterize, c: RasterCase): Promise<number[][]> => {
  const names = ["means", "scales", "opacities", "colours"] as const
  const grads = tf.tidy(() => {
    const inputs = Object.fromEntries(names.map((n) => [n, tf.tensor(Float32Array.from(c.inputs[n]?.data ?? []), [...(c.inputs[n]?.shape ?? [0])])])) as Record<(typeof names)[number], tf.Tensor>
    const loss = (...xs: tf.Tensor[]) => tf.sum(applyOp(op, { ...inputs, ...Object.fromEntries(names.map((n, i) => [n, xs[i] as tf.Tensor])) }, c.attrs, evalContext).image) as tf.Scalar
    return tf.grads(loss)(names.map((n) => inputs[n]))
  })
  const values = await Promise.all(grads.map(async (g) => Array.from(await g.data())))
  tf.dispose(grads)
  return values
}

describe("op rasterize, degenerate inputs", () => {
  for (const backend of testBackends) {
    const check = (label: string, body: (op: Rasterize) => Promise<void>) =>
      it(`${backend}: ${label}`, async (t) => {
        const ready = await useBackend(backend)
        if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
        await body(testedOp(rasterize, ready.target))
      })

    check("Gaussians behind the camera or beyond far leave the background, with zero gradients", async (op) => {
      const c = scene([[0, 0, -4.5], [0.1, 0, -6], [0, 0.1, 200]], 0.2)
      await everyPixelIsBackground(op, c)
      for (const g of await gradientsOf(op, c)) assert.ok(g.every((v) => v === 0))
    })

    check("everything off-screen leaves the background", async (op) => {
      await everyPixelIsBackground(op, scene([[30, 0, 0], [-30, 2, 0], [0, 40, 0.3]], 0.1))
    })

    check("N = 0 renders the background", async (op) => {
      const empty: RasterCase = {
        inputs: { means: f64([0, 3]), scales: f64([0, 1]), colours: f64([0, 3]) },
        attrs: { ...camera, opacity: opaque }
      }
      await everyPixelIsBackground(op, empty)
    })

    check("zero scales render the 0.3-pixel low-pass blob, as the reference", async (op) => {
      await matchesReference(op, scene([[0, 0, 0], [0.3, 0.1, 0.2]], 0), backend)
    })

    check("huge scales cover the image, as the reference", async (op) => {
      const c = scene([[0, 0, 0], [0.2, 0, 0.5]], 50, 0.6)
      await matchesReference(op, c, backend)
      for (const g of await gradientsOf(op, c)) assert.ok(g.every(Number.isFinite))
    })

    check("pixels that no Gaussian reaches keep the background", async (op) => {
      const c = scene([[-1.6, -1.2, 0]], 0.02)
      const out = await kernelForward(op, c)
      assert.ok(isBackground(out["image"] as Float64Array, out["alpha"] as Float64Array, camera.width * camera.height - 1))
      await matchesReference(op, c, backend)
    })

    check("two stacked opaque Gaussians stop at T = 9.99998e-5 as in float32: the second is not blended", async (op) => {
      // Centred on pixel (15, 11), whose centre is (15.5, 11.5): both reach the 0.99 cap there.
      const stacked = scene([[0, 0, 0], [0, 0, 0.01], [0, 0, 0.02]], 0.3, 1)
      const c = { ...stacked, attrs: { ...camera, cx: 15.5, cy: 11.5 } }
      await matchesReference(op, c, backend)
      const alpha = (await kernelForward(op, c))["alpha"] as Float64Array
      const centre = alpha[11 * camera.width + 15] as number
      assert.ok(Math.abs(centre - 0.99) < 1e-6, `alpha ${centre}`)
    })

    if (backend !== "webgpu")
      check("NaN inputs are rejected with RasterizeInputError", async (op) => {
        const c = scene([[0, 0, 0]], 0.1)
        const bad = { ...c, inputs: { ...c.inputs, means: f64([1, 3], [0, Number.NaN, 0]) } }
        await assert.rejects(kernelForward(op, bad), (e: unknown) => e instanceof RasterizeInputError && /means/.test(e.message))
      })

    check("a camera with near <= 0 is rejected with RasterizeInputError", async (op) => {
      const c = scene([[0, 0, 0]], 0.1)
      await assert.rejects(kernelForward(op, { ...c, attrs: { ...camera, near: 0 } }), (e: unknown) => e instanceof RasterizeInputError && /near/.test(e.message))
    })
  }
})

describe("op rasterize, tensor bookkeeping", () => {
  for (const backend of testBackends)
    it(`${backend}: forward and backward leave no tensors or backend buffers behind`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
      const c = scene([[0, 0, 0], [0.2, 0.1, 0.3]], 0.1)
      const op = testedOp(rasterize, ready.target)
      await gradientsOf(op, c)
      const buffers = () => tf.engine().backend.numDataIds()
      const before = [tf.memory().numTensors, buffers()]
      for (let k = 0; k < 3; k++) await gradientsOf(op, c)
      assert.deepEqual([tf.memory().numTensors, buffers()], before)
    })
})
