/**
 * Optional two-thread CPU rasteriser: one Node worker thread composites half
 * of the tiles (split by list length) on shared memory while the calling
 * thread does the other half; the caller blocks on Atomics.wait, so tfjs
 * kernels stay synchronous. Results equal the single-threaded path exactly in
 * the forward (tiles are independent) and up to float summation order in the
 * backward. Off by default; install with useRasterThreads (the bench does).
 */
import { Worker } from "node:worker_threads"
import type { CameraSetup } from "./camera.ts"
import type { PixelGrads } from "./compositeBackward.ts"
import { pixelStride } from "./composite.ts"
import type { CpuForward } from "./cpuRaster.ts"
import { compositeTiles, compositeTilesBackward, emptyInputGrads, projectAndBin } from "./cpuRaster.ts"
import type { GaussianArrays, InputGrads } from "./gaussians.ts"
import { splatGradStride } from "./gaussians.ts"
import { projectionBackward } from "./projectionBackward.ts"
import type { TileBins } from "./tiles.ts"

/** A job for the worker: typed arrays on SharedArrayBuffers, and a flag [done, result]. */
export interface Job {
  readonly kind: "forward" | "backward"
  readonly cam: CameraSetup
  readonly opacities: Float32Array
  readonly colours: Float32Array
  readonly projected: Float32Array
  readonly tileOffsets: Int32Array
  readonly tileList: Int32Array
  readonly pixels: Float32Array
  readonly grads: PixelGrads
  readonly splatGrads: Float64Array
  readonly first: number
  readonly end: number
  readonly flag: Int32Array
}

type Typed = Float32Array | Int32Array | Float64Array

const shared = <T extends Typed>(make: (buffer: SharedArrayBuffer) => T, bytes: number, source?: T): T => {
  const array = make(new SharedArrayBuffer(Math.max(8, bytes)))
  if (source) (array as Typed).set(source)
  return array
}
const sharedF32 = (source: Float32Array): Float32Array => shared((b) => new Float32Array(b, 0, source.length), source.byteLength, source)
const sharedI32 = (source: Int32Array): Int32Array => shared((b) => new Int32Array(b, 0, source.length), source.byteLength, source)

/** The tile where the cumulative list length passes half of the total. */
const middleTile = (bins: TileBins): number => {
  const offsets = bins.tileOffsets
  const half = (offsets[offsets.length - 1] as number) / 2
  let t = 0
  while (t < offsets.length - 1 && (offsets[t] as number) < half) t++
  return t
}

export interface RasterThreads {
  readonly forward: (g: GaussianArrays, cam: CameraSetup) => CpuForward
  readonly backward: (g: GaussianArrays, cam: CameraSetup, forward: Omit<CpuForward, "pairs">, grads: PixelGrads) => InputGrads
  readonly close: () => Promise<number>
}

/** Longest wait for the worker's half before giving up (it died or hangs). */
const jobTimeoutMs = 120_000

/**
 * Start the worker. From TypeScript sources (tsx), workers do not inherit the
 * loader, so the worker registers tsx itself before importing rasterWorker.ts.
 */
const spawnWorker = (): Worker => {
  const url = new URL("./rasterWorker.ts", import.meta.url).href
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}) })`
  return new Worker(bootstrap, { eval: true })
}

export const startRasterThreads = async (): Promise<RasterThreads> => {
  const worker = spawnWorker()
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve())
    worker.once("error", reject)
    worker.once("exit", (code) => reject(new Error(`rasterize worker exited with code ${code} before it was ready`)))
  })
  worker.removeAllListeners()
  const runShared = (job: Omit<Job, "flag">, mine: () => number): number => {
    const flag = new Int32Array(new SharedArrayBuffer(8))
    worker.postMessage({ ...job, flag })
    const own = mine()
    if (Atomics.wait(flag, 0, 0, jobTimeoutMs) === "timed-out") throw new Error(`rasterize worker did not finish its tiles within ${jobTimeoutMs} ms`)
    return own + (flag[1] as number)
  }
  const common = (g: GaussianArrays, cam: CameraSetup, projected: Float32Array, bins: TileBins, pixels: Float32Array) => ({
    cam,
    opacities: sharedF32(g.opacities),
    colours: sharedF32(g.colours),
    projected: sharedF32(projected),
    tileOffsets: sharedI32(bins.tileOffsets),
    tileList: sharedI32(bins.tileList),
    pixels
  })
  const emptyGrads: PixelGrads = { image: new Float32Array(0), alpha: new Float32Array(0), depth: new Float32Array(0) }
  return {
    forward: (g, cam) => {
      const { projected, bins } = projectAndBin(g, cam)
      const pixels = sharedF32(new Float32Array(cam.width * cam.height * pixelStride))
      const split = middleTile(bins)
      const job = { kind: "forward" as const, ...common(g, cam, projected, bins, pixels), grads: emptyGrads, splatGrads: new Float64Array(0), first: split, end: cam.tilesX * cam.tilesY }
      const pairs = runShared(job, () => compositeTiles(g, cam, projected, bins, pixels, 0, split))
      return { pixels, projected, bins, pairs }
    },
    backward: (g, cam, forward, grads) => {
      const split = middleTile(forward.bins)
      const theirs = shared((b) => new Float64Array(b), g.count * splatGradStride * 8)
      const mine = new Float64Array(g.count * splatGradStride)
      const sharedGrads = { image: sharedF32(grads.image), alpha: sharedF32(grads.alpha), depth: sharedF32(grads.depth) }
      const job = { kind: "backward" as const, ...common(g, cam, forward.projected, forward.bins, sharedF32(forward.pixels)), grads: sharedGrads, splatGrads: theirs, first: split, end: cam.tilesX * cam.tilesY }
      runShared(job, () => {
        compositeTilesBackward(g, cam, forward, grads, mine, 0, split)
        return 0
      })
      for (let k = 0; k < mine.length; k++) mine[k] = (mine[k] as number) + (theirs[k] as number)
      const inputGrads = emptyInputGrads(g)
      projectionBackward(g, cam, forward.projected, mine, inputGrads)
      return inputGrads
    },
    close: () => worker.terminate()
  }
}
