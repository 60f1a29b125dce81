/**
 * Worker side of threads.ts: composites (or back-propagates) a range of tiles
 * on shared memory, then raises the job's flag. Runs in a Node worker thread.
 */
import { parentPort } from "node:worker_threads"
import { compositeTiles, compositeTilesBackward } from "./cpuRaster.ts"
import type { Job } from "./threads.ts"

const run = (job: Job): number => {
  const bins = { tileOffsets: job.tileOffsets, tileList: job.tileList }
  const appearance = { opacities: job.opacities, colours: job.colours }
  if (job.kind === "forward") return compositeTiles(appearance, job.cam, job.projected, bins, job.pixels, job.first, job.end)
  compositeTilesBackward(appearance, job.cam, { pixels: job.pixels, projected: job.projected, bins }, job.grads, job.splatGrads, job.first, job.end)
  return 0
}

parentPort?.postMessage("ready")
parentPort?.on("message", (job: Job) => {
  const result = run(job)
  Atomics.store(job.flag, 1, result)
  Atomics.store(job.flag, 0, 1)
  Atomics.notify(job.flag, 0)
})
