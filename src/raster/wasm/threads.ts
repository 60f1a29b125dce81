/**
 * Optional two-thread rasteriser for the wasm backend: one Node worker thread
 * instantiates the SIMD kernels (wasm/simdRaster.ts) on the same shared
 * WebAssembly.Memory and composites (or replays) the second half of the tiles
 * (split by list length, config block 1) while the calling thread does the
 * first half; the caller blocks on Atomics.wait, so tfjs kernels stay
 * synchronous. The forward equals the single-threaded one exactly (tiles are
 * independent); the backward differs by float summation order only.
 * Off by default: the wasm Backend layer starts it with { rasterThreads: 2 } and
 * closes it on release (bench/raster.ts starts one directly). It
 * pays only where a second core is idle, and the worker loads the TypeScript
 * sources through tsx.
 */
import { Worker } from "node:worker_threads"
import { configBytes } from "./layout.ts"
import type { TileRunner } from "./simdRaster.ts"
import { instantiateRaster, rasterMemory } from "./simdRaster.ts"

/** A job for the worker: which pass, the Gaussian count (for the gradient reduction) and a flag [done, pairs]. */
export interface Job {
  readonly kind: "forward" | "backward"
  readonly count: number
  readonly flag: Int32Array
}

/** The config block the worker runs. */
export const workerConfig = configBytes

export interface RasterThreads extends TileRunner {
  readonly close: () => Promise<number>
  /** Whether the worker still runs (false once closed, or if it died). */
  readonly running: () => boolean
}

/** Longest wait for the worker's half before giving up (it died or hangs). */
const jobTimeoutMs = 120_000

/**
 * Start the worker on `memory`. From TypeScript sources (tsx), workers do not
 * inherit the loader, so the worker registers tsx itself before importing rasterWorker.ts.
 */
const spawnWorker = (memory: WebAssembly.Memory): Worker => {
  const url = new URL("./rasterWorker.ts", import.meta.url).href
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}) })`
  return new Worker(bootstrap, { eval: true, workerData: { memory } })
}

export const startRasterThreads = async (): Promise<RasterThreads> => {
  const memory = rasterMemory()
  const kernels = instantiateRaster(memory)
  const worker = spawnWorker(memory)
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve())
    worker.once("error", reject)
    worker.once("exit", (code) => reject(new Error(`rasterize worker exited with code ${code} before it was ready`)))
  })
  worker.removeAllListeners()
  return {
    threads: 2,
    memory,
    run: (kind, count) => {
      const flag = new Int32Array(new SharedArrayBuffer(8))
      worker.postMessage({ kind, count, flag } satisfies Job)
      let own = 0
      if (kind === "forward") own = kernels.forwardTiles(0)
      else {
        kernels.backwardTiles(0)
        kernels.reduceGrads(0, count)
      }
      if (Atomics.wait(flag, 0, 0, jobTimeoutMs) === "timed-out") throw new Error(`rasterize worker did not finish its tiles within ${jobTimeoutMs} ms`)
      return own + (flag[1] as number)
    },
    close: () => worker.terminate(),
    running: () => worker.threadId !== -1
  }
}
