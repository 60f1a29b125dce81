/**
 * Evaluation as the original protocol: every frame of a split rendered with that split's camera and
 * body fit (no test-time pose optimisation), full frame on white, PSNR and SSIM per frame and mean,
 * PSNR inside the person's mask (the frame's mask > 0.5; on a white background the full-frame PSNR
 * is dominated by the easy background and hides blur on the person), and LPIPS (AlexNet, the lpips op on the active backend) when the user's weights are given, written
 * as metrics.json, the renders (renders/) and ground truth | render | error images (frames/).
 */
import { Effect } from "effect"
import { join } from "node:path"
import type { Dataset, HostTensor } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import * as tf from "@tensorflow/tfjs"
import type { LpipsWeights } from "../lpips/alexnet.ts"
import { applyOp } from "../ops/apply.ts"
import { evalContext } from "../ops/contract.ts"
import { lpips } from "../ops/lpips/lpips.ts"
import { maskedPsnr64, psnr64, ssim64 } from "../metrics/image.ts"
import { ssimDefaults } from "../ops/ssim/spec.ts"
import type { Ops } from "../ops/registry.ts"
import type { GraphError, ShapeMismatch } from "../runtime/errors.ts"
import type { DatasetError } from "../data/errors.ts"
import { predict } from "../runtime/predict.ts"
import type { TrainedState } from "../runtime/state.ts"
import { writeFileAtomic } from "../io/atomic.ts"
import type { IoError } from "../io/errors.ts"
import { createCanvas } from "../viz/canvas.ts"
import { savePng } from "../viz/png.ts"

export interface FrameMetrics {
  readonly index: number
  readonly psnr: number
  /** PSNR over the pixels of the frame's mask (> 0.5); NaN for an empty mask. */
  readonly maskedPsnr: number
  readonly ssim: number
  /** Only with LPIPS weights. */
  readonly lpips?: number
}

export interface Evaluation {
  readonly frames: ReadonlyArray<FrameMetrics>
  /** Means over the frames (maskedPsnr over the frames whose mask is not empty). */
  readonly mean: { readonly psnr: number; readonly maskedPsnr: number; readonly ssim: number; readonly lpips?: number }
}

/** LPIPS of a render against its ground truth ([H, W, 3] in [0, 1]) through the lpips op. */
const lpipsOf = (weights: LpipsWeights, render: HostTensor, truth: HostTensor): number =>
  tf.tidy(() => {
    const image = (t: HostTensor) => tf.tensor(Float32Array.from(t.data), [...t.shape])
    return applyOp(lpips, { prediction: image(render), target: image(truth) }, { weights }, evalContext).out.dataSync()[0] as number
  })

const byte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, v)))

/** Ground truth | render | error (|difference| x 4), side by side. */
const sideBySide = (file: string, truth: HostTensor, render: HostTensor): Effect.Effect<void, IoError> => {
  const [height, width] = truth.shape as [number, number]
  const canvas = createCanvas(3 * width, height)
  const px = canvas.pixels
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      const row = 4 * (y * canvas.width + x)
      let e = 0
      for (let c = 0; c < 3; c++) {
        const t = truth.data[3 * p + c] as number
        const r = render.data[3 * p + c] as number
        px[row + c] = byte(t)
        px[row + 4 * width + c] = byte(r)
        e += Math.abs(t - r)
      }
      e = Math.min(1, (4 * e) / 3)
      px[row + 8 * width] = byte(e)
      px[row + 8 * width + 1] = byte(e * 0.3)
      px[row + 8 * width + 2] = byte(0.2 * (1 - e))
      px[row + 3] = px[row + 4 * width + 3] = px[row + 8 * width + 3] = 255
    }
  return savePng(file, canvas)
}

const imageCanvas = (image: HostTensor) => {
  const [height, width] = image.shape as [number, number]
  const canvas = createCanvas(width, height)
  for (let p = 0; p < width * height; p++) for (let c = 0; c < 3; c++) canvas.pixels[4 * p + c] = Math.round(255 * Math.min(1, Math.max(0, image.data[3 * p + c] as number)))
  return canvas
}

/** Render every frame of `split` through `graph` (its "image" output) and score it against the frame. */
export const evaluateSplit = (
  graph: AnyGraph,
  state: TrainedState,
  split: Dataset,
  outDir: string,
  lpipsWeights?: LpipsWeights
): Effect.Effect<Evaluation, DatasetError | GraphError | ShapeMismatch | IoError, Ops> =>
  Effect.gen(function* () {
    const frames: FrameMetrics[] = []
    for (let index = 0; index < split.size; index++) {
      const sample = yield* split.sample(index)
      const render = (yield* predict(graph, state, sample, ["image"]))["image"] as HostTensor
      const truth = sample.tensors["image"] as HostTensor
      const psnr = psnr64(render.data, truth.data, 1)
      const mask = sample.tensors["mask"]
      const maskedPsnr = mask ? maskedPsnr64(render.data, truth.data, mask.data, 3, 1) : Number.NaN
      const ssim = ssim64(render.data, truth.data, render.shape as [number, number, number], ssimDefaults.window, ssimDefaults.sigma)
      frames.push(lpipsWeights ? { index, psnr, maskedPsnr, ssim, lpips: lpipsOf(lpipsWeights, render, truth) } : { index, psnr, maskedPsnr, ssim })
      const name = `${String(index).padStart(5, "0")}.png`
      yield* sideBySide(join(outDir, "frames", name), truth, render)
      yield* savePng(join(outDir, "renders", name), imageCanvas(render))
    }
    const mean = (key: "psnr" | "maskedPsnr" | "ssim" | "lpips") => {
      const values = frames.map((f) => f[key] ?? 0).filter((v) => !Number.isNaN(v))
      return values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1)
    }
    const scores = { psnr: mean("psnr"), maskedPsnr: mean("maskedPsnr"), ssim: mean("ssim") }
    const evaluation: Evaluation = { frames, mean: lpipsWeights ? { ...scores, lpips: mean("lpips") } : scores }
    yield* writeFileAtomic(join(outDir, "metrics.json"), [Buffer.from(JSON.stringify(evaluation, null, 2))])
    return evaluation
  })
