/**
 * Worker side of threads.ts: instantiates the SIMD kernels on the shared
 * memory it was given, runs config block `workerConfig` for each job, then
 * raises the job's flag. Runs in a Node worker thread.
 */
import { parentPort, workerData } from "node:worker_threads"
import type { Job } from "./threads.ts"
import { workerConfig } from "./threads.ts"
import { instantiateRaster } from "./simdRaster.ts"

const kernels = instantiateRaster((workerData as { memory: WebAssembly.Memory }).memory)

const run = (job: Job): number => {
  if (job.kind === "forward") return kernels.forwardTiles(workerConfig)
  kernels.backwardTiles(workerConfig)
  kernels.reduceGrads(workerConfig, job.count)
  return 0
}

parentPort?.postMessage("ready")
parentPort?.on("message", (job: Job) => {
  const result = run(job)
  Atomics.store(job.flag, 1, result)
  Atomics.store(job.flag, 0, 1)
  Atomics.notify(job.flag, 0)
})
