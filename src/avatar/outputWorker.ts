/**
 * Worker side of outputPool.ts: scores a rendered frame against its ground truth (PSNR, PSNR inside
 * the mask, SSIM, all Float64 as src/metrics/image.ts) and writes its PNGs, or writes one PNG, then
 * answers the job's id with the scores or with the file that failed and why. Runs in a Node worker
 * thread, so the main thread renders the next frame meanwhile.
 */
import { parentPort } from "node:worker_threads"
import { commitTemporary, writeProblem, writeTemporary } from "../io/atomic.ts"
import { encodePng } from "../io/png.ts"
import type { Image8 } from "../io/png.ts"
import { maskedPsnr64, psnr64, ssim64 } from "../metrics/image.ts"
import { image8, sideBySide } from "./frameImages.ts"
import type { OutputJob, OutputReply } from "./outputPool.ts"

/** A write that failed: the file and the problem in words ("no space left on /data (ext4)"). */
class WriteFailed {
  constructor(readonly file: string, readonly reason: string) {}
}

/** Writes the PNG whole or not at all (a temporary file renamed over it), as every gavatar writer does. */
const writeImage = (file: string, image: Image8): void => {
  try {
    commitTemporary(writeTemporary(file, [encodePng(image)]), file)
  } catch (cause) {
    throw new WriteFailed(file, writeProblem(cause, file))
  }
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
    const failed = error instanceof WriteFailed ? error : new WriteFailed(fileOf(job), error instanceof Error ? error.message : String(error))
    parentPort?.postMessage({ _tag: "Failed", id: job.id, file: failed.file, reason: failed.reason } satisfies OutputReply)
  }
})
