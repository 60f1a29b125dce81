/**
 * Rasteriser benchmark: isotropic Gaussians on the open body's surface (sizes as
 * the avatar uses) rendered at 512x512 through the op on the default (wasm)
 * backend: forward, and forward + backward, with the WebAssembly SIMD kernel
 * (src/ops/rasterize/wasm) on one thread and on two (threads.ts). Prints
 * Gaussian-pixel pairs evaluated per second of forward and the target beside
 * the figure. The JSON results are the two-thread figures, each with its
 * single-thread figures beside.
 * Run: npm run bench -- raster [--json]
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { parseArgs } from "node:util"
import { applyOp, prepareOp } from "../src/ops/apply.ts"
import type { KernelTarget } from "../src/ops/contract.ts"
import { evalContext } from "../src/ops/contract.ts"
import { cameraSetup } from "../src/raster/camera.ts"
import { gaussianArrays } from "../src/raster/gaussians.ts"
import { rasterize } from "../src/ops/rasterize/rasterize.ts"
import { startRasterThreads } from "../src/raster/wasm/threads.ts"
import { rasterizeForwardSimd, singleThreadRunner } from "../src/raster/wasm/simdRaster.ts"
import type { RasterizeAttrs } from "../src/ops/rasterize/spec.ts"
import { isotropic, opaque } from "../src/ops/rasterize/spec.ts"
import { openBody } from "../src/body/openBody.ts"
import { activate, isBackendName } from "../src/runtime/backend.ts"
import { createRng } from "../src/math/rng.ts"

export interface Cloud {
  readonly means: Float32Array
  /** (N, 1) isotropic scales, 5 mm to 1 cm. */
  readonly scales: Float32Array
  readonly colours: Float32Array
}

/** n Gaussians on the surface of the open body (rest pose), triangles picked by area; 5 mm to 1 cm each. */
export const bodyShapedCloud = (n: number, seed = 1): Cloud => {
  const body = openBody()
  const rng = createRng(seed)
  const v = body.vTemplate
  const faces = body.faces
  const corner = (f: number, k: number, c: number) => v[3 * (faces[3 * f + k] as number) + c] as number
  const cumulative = new Float64Array(faces.length / 3)
  let total = 0
  for (let f = 0; f < cumulative.length; f++) {
    const e1 = [0, 1, 2].map((c) => corner(f, 1, c) - corner(f, 0, c))
    const e2 = [0, 1, 2].map((c) => corner(f, 2, c) - corner(f, 0, c))
    const cross = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!]
    total += Math.hypot(...cross) / 2
    cumulative[f] = total
  }
  const means = new Float32Array(n * 3)
  const scales = new Float32Array(n)
  const colours = new Float32Array(n * 3)
  for (let i = 0; i < n; i++) {
    const pick = rng.uniform() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cumulative[mid] as number) < pick) lo = mid + 1
      else hi = mid
    }
    let a = rng.uniform()
    let b = rng.uniform()
    if (a + b > 1) [a, b] = [1 - a, 1 - b]
    for (let c = 0; c < 3; c++) means[i * 3 + c] = corner(lo, 0, c) * (1 - a - b) + corner(lo, 1, c) * a + corner(lo, 2, c) * b
    scales[i] = 0.005 + 0.005 * rng.uniform()
    colours.set([0.55 + 0.3 * rng.uniform(), 0.4 + 0.2 * rng.uniform(), 0.3 + 0.2 * rng.uniform()], i * 3)
  }
  return { means, scales, colours }
}

/** 512x512 pinhole camera 2.5 m in front of the body (which spans y = -1.2 .. 0.55 m), looking at it (camera y down). */
export const benchCamera: RasterizeAttrs = {
  gaussians: isotropic,
  opacity: opaque,
  fx: 680,
  fy: 680,
  cx: 256,
  cy: 256,
  worldToCamera: [1, 0, 0, 0, 0, -1, 0, -0.32, 0, 0, -1, 2.5, 0, 0, 0, 1],
  width: 512,
  height: 512,
  near: 0.01,
  far: 100,
  background: [1, 1, 1],
  withDepth: false,
  smooth: false
}

const targetForwardBackwardMs = 300
const sizes = [20_000, 100_000, 200_000]
const repeats = 5

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const timeMs = async (f: () => Promise<void>): Promise<number> => {
  await f() // warm-up
  const times: number[] = []
  for (let r = 0; r < repeats; r++) {
    const start = performance.now()
    await f()
    times.push(performance.now() - start)
  }
  return median(times)
}

interface Timing {
  readonly forwardMs: number
  readonly forwardBackwardMs: number
}

const measure = async (n: number, target: KernelTarget): Promise<{ readonly timing: Timing; readonly pairs: number }> => {
  const op = prepareOp(rasterize, target)
  const cloud = bodyShapedCloud(n)
  const inputs = {
    means: tf.tensor2d(cloud.means, [n, 3]),
    scales: tf.tensor2d(cloud.scales, [n, 1]),
    colours: tf.tensor2d(cloud.colours, [n, 3])
  }
  const cotangent = tf.randomUniform([benchCamera.height, benchCamera.width, 3], -1, 1, "float32", 7)
  const forwardMs = await timeMs(async () => {
    const out = applyOp(op, inputs, benchCamera, evalContext)
    await out.image.data()
    tf.dispose(Object.values(out))
  })
  const loss = (means: tf.Tensor, scales: tf.Tensor, colours: tf.Tensor) =>
    tf.sum(tf.mul(applyOp(op, { means, scales, colours }, benchCamera, evalContext).image, cotangent)) as tf.Scalar
  const forwardBackwardMs = await timeMs(async () => {
    const grads = tf.tidy(() => tf.grads(loss)([inputs.means, inputs.scales, inputs.colours]))
    await Promise.all(grads.map((g) => g.data()))
    tf.dispose(grads)
  })
  const empty = new Float32Array(0)
  const pairs = rasterizeForwardSimd(singleThreadRunner(), gaussianArrays(cloud.means, cloud.scales, empty, empty, cloud.colours), cameraSetup(benchCamera)).pairs
  tf.dispose([...Object.values(inputs), cotangent])
  return { timing: { forwardMs, forwardBackwardMs }, pairs }
}

const line = (n: number, threads: number, t: Timing, pairs: number): string => {
  const target = n === 100_000 ? ` (target <= ${targetForwardBackwardMs} ms)` : ""
  const rate = (pairs / (t.forwardMs / 1000) / 1e6).toFixed(1)
  const where = threads === 0 ? "WebGPU" : `${threads} thread${threads > 1 ? "s" : ""}`
  return `${String(n).padStart(7)} Gaussians, ${where}: forward ${t.forwardMs.toFixed(1)} ms, forward+backward ${t.forwardBackwardMs.toFixed(1)} ms${target}, ${rate} M pairs/s`
}

/** The SIMD kernel's figures, on one thread and on two; the JSON holds the two-thread figures. */
const runCpu = async (): Promise<unknown[]> => {
  const threads = await startRasterThreads()
  const results = []
  try {
    const oneThread: KernelTarget = { backend: "wasm", rasterTiles: singleThreadRunner() }
    const twoThreads: KernelTarget = { backend: "wasm", rasterTiles: threads }
    for (const n of sizes) {
      const single = await measure(n, oneThread)
      console.log(line(n, 1, single.timing, single.pairs))
      const two = await measure(n, twoThreads)
      console.log(line(n, 2, two.timing, two.pairs))
      const { forwardMs, forwardBackwardMs } = two.timing
      results.push({ gaussians: n, width: benchCamera.width, height: benchCamera.height, forwardMs, forwardBackwardMs, pairsPerSecond: two.pairs / (forwardMs / 1000), threads: 2, singleThread: single.timing })
    }
  } finally {
    await threads.close()
  }
  return results
}

/** The WGSL kernel's figures (pairs counted by the SIMD kernel on the same scene). */
const runWebGpu = async (): Promise<unknown[]> => {
  const results = []
  for (const n of sizes) {
    const { timing, pairs } = await measure(n, { backend: "webgpu" })
    console.log(line(n, 0, timing, pairs))
    results.push({ gaussians: n, width: benchCamera.width, height: benchCamera.height, ...timing, pairsPerSecond: pairs / (timing.forwardMs / 1000) })
  }
  return results
}

/** npm run bench -- raster [--json] [--backend wasm|cpu|webgpu] */
export const run = async (args: { json: boolean; rest?: ReadonlyArray<string> }): Promise<void> => {
  const { values } = parseArgs({ args: [...(args.rest ?? [])], options: { backend: { type: "string", default: "wasm" } }, strict: false })
  const name = String(values.backend)
  if (!isBackendName(name)) throw new Error(`--backend must be wasm, cpu or webgpu, got "${name}"`)
  const backend = await Effect.runPromise(activate(name))
  console.log(`raster bench on ${backend.name} (${backend.detail}), 512x512, isotropic Gaussians on the open body's surface, median of ${repeats}`)
  const results = name === "webgpu" ? await runWebGpu() : await runCpu()
  if (args.json) console.log(JSON.stringify({ backend: name, results }))
}
