/**
 * Worker side of outputPool.ts: scores a rendered frame against its ground truth (PSNR, PSNR inside
 * the mask, SSIM, all Float64 as src/metrics/image.ts) and writes its PNGs, or writes one PNG, then
 * answers the job's id with the scores or with the file that failed and why. Runs in a Node worker
 * thread, so the main thread renders the next frame meanwhile.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { parentPort } from "node:worker_threads"
import { encodePng } from "../io/png.ts"
import type { Image8 } from "../io/png.ts"
import { maskedPsnr64, psnr64, ssim64 } from "../metrics/image.ts"
import { image8, sideBySide } from "./frameImages.ts"
import type { OutputJob, OutputReply } from "./outputPool.ts"

const writeImage = (file: string, image: Image8): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, encodePng(image))
}

const carryOut = (job: OutputJob): OutputReply => {
  switch (job._tag) {
    case "Png":
      writeImage(job.file, job.image)
      return { _tag: "Written", id: job.id }
    case "Score": {
      const { render, truth, mask, ssimWindow } = job
      const scores = {
        psnr: psnr64(render.data, truth.data, 1),
        maskedPsnr: mask ? maskedPsnr64(render.data, truth.data, mask.data, 3, 1) : Number.NaN,
        ssim: ssim64(render.data, truth.data, render.shape as [number, number, number], ssimWindow.window, ssimWindow.sigma)
      }
      writeImage(job.framesFile, sideBySide(truth, render))
      writeImage(job.renderFile, image8(render))
      return { _tag: "Scored", id: job.id, ...scores }
    }
  }
}

const fileOf = (job: OutputJob): string => (job._tag === "Png" ? job.file : job.framesFile)

parentPort?.postMessage("ready")
parentPort?.on("message", (job: OutputJob) => {
  try {
    parentPort?.postMessage(carryOut(job))
  } catch (error) {
    parentPort?.postMessage({ _tag: "Failed", id: job.id, file: fileOf(job), reason: error instanceof Error ? error.message : String(error) } satisfies OutputReply)
  }
})
