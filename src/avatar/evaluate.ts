/**
 * Evaluation as the original protocol: every frame of a split rendered with that split's camera and
 * body fit (no test-time pose optimisation), full frame on white, PSNR and SSIM per frame and mean,
 * and LPIPS (AlexNet, the lpips op on the active backend) when the user's weights are given, written
 * as metrics.json, the renders (renders/) and ground truth | render | error images (frames/).
 */
import { Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Dataset, HostTensor } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import * as tf from "@tensorflow/tfjs"
import type { LpipsWeights } from "../lpips/alexnet.ts"
import { applyOp } from "../ops/apply.ts"
import type { F64 } from "../ops/contract.ts"
import { evalContext } from "../ops/contract.ts"
import { lpips } from "../ops/lpips/lpips.ts"
import { maskedPsnr64, psnr64, ssim64 } from "../metrics/image.ts"
import { ssimDefaults } from "../ops/ssim/spec.ts"
import type { Ops } from "../ops/registry.ts"
import type { GraphError, ShapeMismatch } from "../runtime/errors.ts"
import type { DatasetError } from "../data/errors.ts"
import { predict } from "../runtime/predict.ts"
import type { TrainedState } from "../runtime/state.ts"
import { createCanvas } from "../viz/canvas.ts"
import { writePng } from "../viz/png.ts"

export interface FrameMetrics {
  readonly index: number
  readonly psnr: number
  readonly ssim: number
  /** PSNR inside the person's mask; only when the split has masks. */
  readonly maskedPsnr?: number
  /** Only with LPIPS weights. */
  readonly lpips?: number
}

export interface Evaluation {
  readonly frames: ReadonlyArray<FrameMetrics>
  readonly mean: { readonly psnr: number; readonly ssim: number; readonly maskedPsnr?: number; readonly lpips?: number }
}

/** LPIPS of a render against its ground truth ([H, W, 3] in [0, 1]) through the lpips op. */
const lpipsOf = (weights: LpipsWeights, render: HostTensor, truth: HostTensor): number =>
  tf.tidy(() => {
    const image = (t: HostTensor) => tf.tensor(Float32Array.from(t.data), [...t.shape])
    return applyOp(lpips, { prediction: image(render), target: image(truth) }, { weights }, evalContext).out.dataSync()[0] as number
  })

const asF64 = (t: HostTensor): F64 => ({ shape: t.shape, data: Float64Array.from(t.data) })

/** Ground truth | render | error (|difference| x 4), side by side. */
const sideBySide = (file: string, truth: HostTensor, render: HostTensor): void => {
  const [height, width] = truth.shape as [number, number]
  const canvas = createCanvas(3 * width, height)
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)))
  for (let p = 0; p < width * height; p++) {
    const y = Math.floor(p / width)
    const x = p % width
    const t = [0, 1, 2].map((c) => truth.data[3 * p + c] as number)
    const r = [0, 1, 2].map((c) => render.data[3 * p + c] as number)
    const e = Math.min(1, (4 * t.reduce((s, v, c) => s + Math.abs(v - (r[c] as number)), 0)) / 3)
    canvas.pixels.set([...t.map(byte), 255], 4 * (y * canvas.width + x))
    canvas.pixels.set([...r.map(byte), 255], 4 * (y * canvas.width + width + x))
    canvas.pixels.set([byte(e), byte(e * 0.3), byte(0.2 * (1 - e)), 255], 4 * (y * canvas.width + 2 * width + x))
  }
  writePng(file, canvas)
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
): Effect.Effect<Evaluation, DatasetError | GraphError | ShapeMismatch, Ops> =>
  Effect.gen(function* () {
    mkdirSync(join(outDir, "frames"), { recursive: true })
    const frames: FrameMetrics[] = []
    for (let index = 0; index < split.size; index++) {
      const sample = yield* split.sample(index)
      const render = (yield* predict(graph, state, sample, ["image"]))["image"] as HostTensor
      const truth = sample.tensors["image"] as HostTensor
      const inputs = { prediction: asF64(render), target: asF64(truth) }
      const psnr = psnr64(inputs.prediction.data, inputs.target.data, 1)
      const ssim = ssim64(inputs.prediction.data, inputs.target.data, inputs.prediction.shape as [number, number, number], ssimDefaults.window, ssimDefaults.sigma)
      const mask = sample.tensors["mask"]
      const masked = mask ? { maskedPsnr: maskedPsnr64(inputs.prediction.data, inputs.target.data, mask.data, 1) } : {}
      frames.push(lpipsWeights ? { index, psnr, ssim, ...masked, lpips: lpipsOf(lpipsWeights, render, truth) } : { index, psnr, ssim, ...masked })
      const name = `${String(index).padStart(5, "0")}.png`
      sideBySide(join(outDir, "frames", name), truth, render)
      writePng(join(outDir, "renders", name), imageCanvas(render))
    }
    const mean = (key: "psnr" | "ssim" | "maskedPsnr" | "lpips") => frames.reduce((s, f) => s + (f[key] ?? 0), 0) / Math.max(frames.length, 1)
    const masked = frames.length > 0 && frames.every((f) => f.maskedPsnr !== undefined) ? { maskedPsnr: mean("maskedPsnr") } : {}
    const evaluation: Evaluation = { frames, mean: lpipsWeights ? { psnr: mean("psnr"), ssim: mean("ssim"), ...masked, lpips: mean("lpips") } : { psnr: mean("psnr"), ssim: mean("ssim"), ...masked } }
    writeFileSync(join(outDir, "metrics.json"), JSON.stringify(evaluation, null, 2))
    return evaluation
  })
