/**
 * Rasteriser benchmark: a body-shaped cloud of isotropic Gaussians (sizes as
 * the avatar uses) rendered at 512x512 through the op on the default (wasm)
 * backend: forward, and forward + backward, with the CPU kernel on one thread
 * and on two (threads.ts). Prints Gaussian-pixel pairs evaluated per second of
 * forward and the target beside the figure. The JSON results are the
 * two-thread figures, each with its single-thread figures beside.
 * Run: npx tsx bench/raster.ts [--json]  (the lead wires `npm run bench -- raster`).
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { applyOp } from "../src/ops/apply.ts"
import { evalContext } from "../src/ops/contract.ts"
import { cameraSetup } from "../src/ops/rasterize/camera.ts"
import { rasterizeForwardCpu } from "../src/ops/rasterize/cpuRaster.ts"
import { gaussianArrays } from "../src/ops/rasterize/gaussians.ts"
import { useRasterThreads } from "../src/ops/rasterize/cpuKernels.ts"
import { rasterize } from "../src/ops/rasterize/rasterize.ts"
import { startRasterThreads } from "../src/ops/rasterize/threads.ts"
import type { RasterizeAttrs } from "../src/ops/rasterize/spec.ts"
import { activate } from "../src/runtime/backend.ts"

/** One ellipsoid of the procedural body: centre and semi-axes in metres. */
interface Ellipsoid {
  readonly centre: readonly [number, number, number]
  readonly radii: readonly [number, number, number]
}

/**
 * A 1.7 m person standing at the origin (feet at y = 0, y up, facing +z) made of
 * ellipsoids. Stand-in until the open body (branch `body`) lands: then sample
 * its surface instead.
 */
const bodyParts: ReadonlyArray<Ellipsoid> = [
  { centre: [0, 1.1, 0], radii: [0.17, 0.3, 0.11] }, // torso
  { centre: [0, 0.82, 0], radii: [0.16, 0.12, 0.1] }, // hips
  { centre: [0, 1.58, 0], radii: [0.085, 0.11, 0.095] }, // head
  { centre: [0, 1.44, 0], radii: [0.05, 0.06, 0.05] }, // neck
  ...([-1, 1] as const).flatMap((side): Ellipsoid[] => [
    { centre: [side * 0.26, 1.22, 0], radii: [0.045, 0.16, 0.045] }, // upper arm
    { centre: [side * 0.28, 0.92, 0.02], radii: [0.038, 0.14, 0.038] }, // forearm
    { centre: [side * 0.29, 0.74, 0.03], radii: [0.03, 0.07, 0.015] }, // hand
    { centre: [side * 0.09, 0.58, 0], radii: [0.075, 0.22, 0.075] }, // thigh
    { centre: [side * 0.09, 0.22, 0], radii: [0.05, 0.2, 0.05] }, // shin
    { centre: [side * 0.09, 0.03, 0.05], radii: [0.045, 0.03, 0.11] } // foot
  ])
]

/** Approximate surface area of an ellipsoid (Knud Thomsen's formula). */
const area = ({ radii: [a, b, c] }: Ellipsoid): number => {
  const p = 1.6075
  return 4 * Math.PI * (((a * b) ** p + (a * c) ** p + (b * c) ** p) / 3) ** (1 / p)
}

/** Deterministic uniform numbers in [0, 1). */
const uniform = (seed: number) => {
  let s = seed >>> 0
  return (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

export interface Cloud {
  readonly means: Float32Array
  /** (N, 1) isotropic scales, 5 mm to 1 cm. */
  readonly scales: Float32Array
  readonly colours: Float32Array
}

/** n Gaussians on the surface of the procedural body, parts weighted by area. */
export const bodyShapedCloud = (n: number, seed = 1): Cloud => {
  const next = uniform(seed)
  const areas = bodyParts.map(area)
  const total = areas.reduce((a, b) => a + b, 0)
  const means = new Float32Array(n * 3)
  const scales = new Float32Array(n)
  const colours = new Float32Array(n * 3)
  for (let i = 0; i < n; i++) {
    let pick = next() * total
    let part = 0
    while (part < bodyParts.length - 1 && pick > (areas[part] as number)) pick -= areas[part++] as number
    const { centre, radii } = bodyParts[part] as Ellipsoid
    const z = 2 * next() - 1
    const phi = 2 * Math.PI * next()
    const r = Math.sqrt(1 - z * z)
    const dir = [r * Math.cos(phi), z, r * Math.sin(phi)]
    for (let k = 0; k < 3; k++) means[i * 3 + k] = (centre[k] as number) + (radii[k] as number) * (dir[k] as number)
    scales[i] = 0.005 + 0.005 * next()
    colours.set([0.55 + 0.3 * next(), 0.4 + 0.2 * next(), 0.3 + 0.2 * next()], i * 3)
  }
  return { means, scales, colours }
}

/** 512x512 pinhole camera 2.5 m in front of the body, looking at it (camera y down). */
export const benchCamera: RasterizeAttrs = {
  fx: 680,
  fy: 680,
  cx: 256,
  cy: 256,
  worldToCamera: [1, 0, 0, 0, 0, -1, 0, 0.85, 0, 0, -1, 2.5, 0, 0, 0, 1],
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

const measure = async (n: number): Promise<{ readonly timing: Timing; readonly pairs: number }> => {
  const cloud = bodyShapedCloud(n)
  const inputs = {
    means: tf.tensor2d(cloud.means, [n, 3]),
    scales: tf.tensor2d(cloud.scales, [n, 1]),
    rotations: tf.zeros([0, 4]),
    opacities: tf.zeros([0]),
    colours: tf.tensor2d(cloud.colours, [n, 3])
  }
  const cotangent = tf.randomUniform([benchCamera.height, benchCamera.width, 3], -1, 1, "float32", 7)
  const forwardMs = await timeMs(async () => {
    const out = applyOp(rasterize, inputs, benchCamera, evalContext)
    await out.image.data()
    tf.dispose(Object.values(out))
  })
  const loss = (means: tf.Tensor, scales: tf.Tensor, colours: tf.Tensor) =>
    tf.sum(tf.mul(applyOp(rasterize, { ...inputs, means, scales, colours }, benchCamera, evalContext).image, cotangent)) as tf.Scalar
  const forwardBackwardMs = await timeMs(async () => {
    const grads = tf.tidy(() => tf.grads(loss)([inputs.means, inputs.scales, inputs.colours]))
    await Promise.all(grads.map((g) => g.data()))
    tf.dispose(grads)
  })
  const empty = new Float32Array(0)
  const pairs = rasterizeForwardCpu(gaussianArrays(cloud.means, cloud.scales, empty, empty, cloud.colours), cameraSetup(benchCamera)).pairs
  tf.dispose([...Object.values(inputs), cotangent])
  return { timing: { forwardMs, forwardBackwardMs }, pairs }
}

const line = (n: number, threads: number, t: Timing, pairs: number): string => {
  const target = n === 100_000 ? ` (target <= ${targetForwardBackwardMs} ms)` : ""
  const rate = (pairs / (t.forwardMs / 1000) / 1e6).toFixed(1)
  return `${String(n).padStart(7)} Gaussians, ${threads} thread${threads > 1 ? "s" : ""}: forward ${t.forwardMs.toFixed(1)} ms, forward+backward ${t.forwardBackwardMs.toFixed(1)} ms${target}, ${rate} M pairs/s`
}

export const run = async (args: { json: boolean }): Promise<void> => {
  const backend = await Effect.runPromise(activate("wasm"))
  console.log(`raster bench on ${backend.name} (${backend.detail}), 512x512, isotropic Gaussians on a body-shaped cloud, median of ${repeats}`)
  const threads = await startRasterThreads()
  const results = []
  try {
    for (const n of sizes) {
      useRasterThreads(undefined)
      const single = await measure(n)
      console.log(line(n, 1, single.timing, single.pairs))
      useRasterThreads(threads)
      const two = await measure(n)
      console.log(line(n, 2, two.timing, two.pairs))
      const { forwardMs, forwardBackwardMs } = two.timing
      results.push({ gaussians: n, width: benchCamera.width, height: benchCamera.height, forwardMs, forwardBackwardMs, pairsPerSecond: two.pairs / (forwardMs / 1000), threads: 2, singleThread: single.timing })
    }
  } finally {
    useRasterThreads(undefined)
    await threads.close()
  }
  if (args.json) console.log(JSON.stringify({ results }))
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ json: process.argv.includes("--json") })
