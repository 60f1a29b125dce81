/**
 * Evaluation as the original protocol: every frame of a split rendered with that split's camera and
 * body fit (no test-time pose optimisation), full frame on white, PSNR and SSIM per frame and mean,
 * PSNR inside the person's mask (the frame's mask > 0.5; on a white background the full-frame PSNR
 * is dominated by the easy background and hides blur on the person), and LPIPS (AlexNet, the lpips op on the active backend) when the user's weights are given, written
 * as metrics.json, the renders (renders/) and ground truth | render | error images (frames/).
 * The graph's fixed part is evaluated once (runtime/predict.ts predictor); scoring and PNG writing
 * run on a worker thread (outputPool.ts) beside the rendering of the next frame.
 */
import { writeFileAtomic } from "../io/atomic.ts"
import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Dataset, HostTensor } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import * as tf from "@tensorflow/tfjs"
import type { LpipsWeights } from "../lpips/alexnet.ts"
import { applyOp } from "../ops/apply.ts"
import { evalContext } from "../ops/contract.ts"
import { lpips } from "../ops/lpips/lpips.ts"
import { ssimDefaults } from "../ops/ssim/spec.ts"
import type { Ops } from "../ops/registry.ts"
import type { GraphError, ShapeMismatch } from "../runtime/errors.ts"
import type { DatasetError } from "../data/errors.ts"
import type { Backend } from "../runtime/backend.ts"
import { predictor } from "../runtime/predict.ts"
import type { TrainedState } from "../runtime/state.ts"
import type { IoError } from "../io/errors.ts"
import { outputPool } from "./outputPool.ts"

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

/** A copy the output worker may take (its buffer is transferred). */
const owned = (t: HostTensor): HostTensor => ({ shape: t.shape, data: Float32Array.from(t.data) })

/**
 * Render every frame of `split` through `graph` (its "image" output) and score it against the frame.
 * The scores and PNGs are made by the output worker while the next frame renders; LPIPS (tfjs) here.
 */
export const evaluateSplit = (
  graph: AnyGraph,
  state: TrainedState,
  split: Dataset,
  outDir: string,
  lpipsWeights?: LpipsWeights
): Effect.Effect<Evaluation, DatasetError | GraphError | ShapeMismatch | IoError, Ops | Backend> =>
  Effect.scoped(
    Effect.gen(function* () {
      mkdirSync(outDir, { recursive: true })
      const renderer = yield* predictor(graph, state, ["image"])
      const outputs = yield* outputPool()
      const scoring: Array<Effect.Effect<FrameMetrics, IoError>> = []
      for (let index = 0; index < split.size; index++) {
        const sample = yield* split.sample(index)
        const render = (yield* renderer.run(sample))["image"] as HostTensor
        const truth = sample.tensors["image"] as HostTensor
        const mask = sample.tensors["mask"]
        const lpips = lpipsWeights ? { lpips: lpipsOf(lpipsWeights, render, truth) } : {}
        const name = `${String(index).padStart(5, "0")}.png`
        const scored = yield* outputs.submit({
          _tag: "Score",
          render,
          truth: owned(truth),
          ...(mask ? { mask: owned(mask) } : {}),
          ssimWindow: { window: ssimDefaults.window, sigma: ssimDefaults.sigma },
          framesFile: join(outDir, "frames", name),
          renderFile: join(outDir, "renders", name)
        })
        scoring.push(Effect.map(scored, (s): FrameMetrics => ({ index, psnr: s._tag === "Scored" ? s.psnr : Number.NaN, maskedPsnr: s._tag === "Scored" ? s.maskedPsnr : Number.NaN, ssim: s._tag === "Scored" ? s.ssim : Number.NaN, ...lpips })))
      }
      const frames = yield* Effect.all(scoring)
      const mean = (key: "psnr" | "maskedPsnr" | "ssim" | "lpips") => {
        const values = frames.map((f) => f[key] ?? 0).filter((v) => !Number.isNaN(v))
        return values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1)
      }
      const scores = { psnr: mean("psnr"), maskedPsnr: mean("maskedPsnr"), ssim: mean("ssim") }
      const evaluation: Evaluation = { frames, mean: lpipsWeights ? { ...scores, lpips: mean("lpips") } : scores }
      yield* writeFileAtomic(join(outDir, "metrics.json"), [Buffer.from(JSON.stringify(evaluation, null, 2))])
      return evaluation
    })
  )
