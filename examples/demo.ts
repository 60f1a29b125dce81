/**
 * The demo (README's first command): makes the synthetic dataset, trains both stages of the avatar with
 * the CPU quick sizes, scores novel views (test/) and novel poses (novel_pose/) and writes metrics.json,
 * ground truth | render | error images per frame and loss curves, with progress all the way.
 * Not yet: the animation (MP4) and LPIPS; the quality targets are printed beside the figures.
 *
 *   npm run demo -- [--out DIR] [--frames N] [--size S] [--epochs1 N] [--epochs2 N] [--query S] [--features S]
 */
import { Effect, Layer } from "effect"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { evaluateSplit } from "../src/avatar/evaluate.ts"
import type { Evaluation } from "../src/avatar/evaluate.ts"
import { avatarSetup } from "../src/avatar/setup.ts"
import { openBody } from "../src/body/openBody.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import type { Stage1Config } from "../src/graphs/avatar/config.ts"
import { quickSizes, renderCamera, stage1Losses, stage1Rates } from "../src/graphs/avatar/config.ts"
import { renderOf } from "../src/graphs/avatar/render.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { stage2 } from "../src/graphs/avatar/stage2.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import type { TrainedState } from "../src/runtime/index.ts"
import { runPromise, WasmBackend } from "../src/runtime/index.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"
import { plot } from "../src/viz/plot.ts"
import { writePng } from "../src/viz/png.ts"

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "out/demo" },
    frames: { type: "string", default: String(DEFAULT_OPTIONS.frames) },
    size: { type: "string", default: String(DEFAULT_OPTIONS.size) },
    epochs1: { type: "string", default: "6" },
    epochs2: { type: "string", default: "3" },
    query: { type: "string", default: String(quickSizes.querySize) },
    features: { type: "string", default: String(quickSizes.featureSize) }
  }
})
const began = performance.now()
const out = values.out
const body = openBody()
const dataDir = join(out, "data")
if (!existsSync(join(dataDir, "train"))) {
  const frames = Number(values.frames)
  const options = { ...DEFAULT_OPTIONS, frames, size: Number(values.size), testFrames: Math.max(1, Math.round(frames / 6)), novelPoseFrames: Math.max(1, Math.round(frames / 3)) }
  await Effect.runPromise(writeSynthetic(dataDir, synthesize(body, options)))
  console.log(`synthetic dataset: ${dataDir} (${options.frames} training frames at ${options.size}x${options.size})`)
}
const train = await Effect.runPromise(readGaussianAvatar(join(dataDir, "train")))
const first = await Effect.runPromise(train.sample(0))
const [height, width] = (first.tensors["image"]?.shape ?? [0, 0]) as [number, number]
const sizes = { ...quickSizes, querySize: Number(values.query), featureSize: Number(values.features) }
const setup = avatarSetup(body, Float64Array.from(first.tensors["betas"]?.data ?? []), sizes.querySize, sizes.featureSize)
const config: Stage1Config = { dims: setup.dims, sizes, camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], width, height), losses: stage1Losses, rates: stage1Rates(1) }
console.log(`avatar: ${setup.dims.N} Gaussians (query map ${sizes.querySize}), feature tensor ${sizes.featureSize}, ${train.size} frames of ${width}x${height}`)

const lossCurve = (file: string, state: TrainedState) =>
  writePng(file, plot([{ points: state.history.map((h): readonly [number, number] => [h.step, h.total]), color: [200, 40, 40], style: "line" }], { logY: true }))

const first1 = await runPromise(stage1(config), train, { epochs: Number(values.epochs1), constants: setup.constants, checkpointDir: join(out, "stage1") })
lossCurve(join(out, "stage1-loss.png"), first1)
const stage2Config = { ...config, stage1Iterations: first1.step }
const second = await runPromise(stage2(stage2Config), train, { epochs: Number(values.epochs2), constants: setup.constants, checkpointDir: join(out, "stage2"), initFrom: first1 })
lossCurve(join(out, "stage2-loss.png"), second)

const renderGraph = renderOf(stage2(stage2Config))
const layers = Layer.mergeAll(WasmBackend, BuiltinOps)
const score = async (split: string, folder: string): Promise<Evaluation> => {
  const data = await Effect.runPromise(readGaussianAvatar(join(dataDir, split)))
  return Effect.runPromise(evaluateSplit(renderGraph, second, data, join(out, folder)).pipe(Effect.provide(layers)))
}
const novelView = await score("test", "novel_view")
const novelPose = await score("novel_pose", "novel_pose")
const wallSeconds = (performance.now() - began) / 1000
mkdirSync(out, { recursive: true })
const metrics = { novelView: novelView.mean, novelPose: novelPose.mean, wallSeconds, gaussians: setup.dims.N, steps: { stage1: first1.step, stage2: second.step } }
writeFileSync(join(out, "metrics.json"), JSON.stringify(metrics, null, 2))
console.log(`novel view: PSNR ${novelView.mean.psnr.toFixed(2)} dB (target >= 28), SSIM ${novelView.mean.ssim.toFixed(4)}`)
console.log(`novel pose: PSNR ${novelPose.mean.psnr.toFixed(2)} dB (target >= 25), SSIM ${novelPose.mean.ssim.toFixed(4)}`)
console.log(`wall time ${(wallSeconds / 60).toFixed(1)} min (target <= 15); wrote ${join(out, "metrics.json")}, ${join(out, "novel_view")}/, ${join(out, "novel_pose")}/`)
