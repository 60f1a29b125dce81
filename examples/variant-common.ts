/**
 * What every examples/variant-<name>.ts does: makes a small synthetic dataset (unless --data has
 * one), trains the variant's stage 1 and stage 2 (stage 2 starts from stage 1), scores novel views
 * (test/) and novel poses (novel_pose/) through graphs.render of its stage 2, and writes
 * metrics.json and the evaluation images under --out. With --baseline it trains and scores the
 * unedited stage1/stage2 the same way, for comparison. LPIPS is used only with --lpips FILE (the user's
 * weights: one file with the AlexNet and linear-head tensors, or --lpips ALEXNET --lpips LINEAR).
 *
 * Flags (defaults: a minute or two on 2 cores): --data DIR --out DIR --frames 8 --size 64
 * --epochs1 6 --epochs2 2 --query 32 --features 32 --noise-degrees 0 --noise-cm 0 --baseline
 * --lpips FILE [--lpips FILE]
 */
import { Effect, Layer } from "effect"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import type { Evaluation } from "../src/avatar/evaluate.ts"
import { evaluateSplit } from "../src/avatar/evaluate.ts"
import { loadLpips, lpipsFiles } from "../src/avatar/lpips.ts"
import { avatarSetup } from "../src/graphs/avatar/setup.ts"
import type { AvatarSetup } from "../src/graphs/avatar/setup.ts"
import { openBody } from "../src/body/openBody.ts"
import type { Dataset } from "../src/data/dataset.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import type { AnyGraph } from "../src/dsl/graph.ts"
import type { Stage1Config } from "../src/graphs/avatar/config.ts"
import { renderCamera, stage1Losses, stage1Rates } from "../src/graphs/avatar/config.ts"
import { renderOf } from "../src/graphs/avatar/render.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { stage2 } from "../src/graphs/avatar/stage2.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import type { TrainedState } from "../src/runtime/index.ts"
import { runPromise, WasmBackend } from "../src/runtime/index.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"

export interface VariantExample {
  readonly name: string
  /** The variant's stage-1 and stage-2 graphs; either defaults to the unedited stage. */
  readonly stage1?: (c: Stage1Config) => AnyGraph
  readonly stage2?: (c: Stage1Config) => AnyGraph
  /** Default pose noise of the synthetic body fit, degrees and centimetres (e.g. to show pose optimisation at work). */
  readonly noise?: { readonly degrees: number; readonly centimetres: number }
}

const flags = (example: VariantExample) =>
  parseArgs({
    options: {
      data: { type: "string" },
      out: { type: "string", default: `out/variant-${example.name}` },
      frames: { type: "string", default: "8" },
      size: { type: "string", default: "64" },
      epochs1: { type: "string", default: "6" },
      epochs2: { type: "string", default: "2" },
      query: { type: "string", default: "32" },
      features: { type: "string", default: "32" },
      "noise-degrees": { type: "string", default: String(example.noise?.degrees ?? 0) },
      "noise-cm": { type: "string", default: String(example.noise?.centimetres ?? 0) },
      baseline: { type: "boolean", default: false },
      lpips: { type: "string", multiple: true, default: [] }
    }
  }).values

type Flags = ReturnType<typeof flags>

const makeData = async (dir: string, v: Flags): Promise<void> => {
  if (existsSync(join(dir, "train"))) return
  const frames = Number(v.frames)
  const noise = { degrees: Number(v["noise-degrees"]), centimetres: Number(v["noise-cm"]) }
  const options = { ...DEFAULT_OPTIONS, frames, size: Number(v.size), testFrames: Math.max(1, Math.round(frames / 4)), novelPoseFrames: Math.max(1, Math.round(frames / 4)), noise, textureSize: 256 }
  await Effect.runPromise(writeSynthetic(dir, synthesize(openBody(), options)))
  console.log(`synthetic dataset: ${dir} (${frames} frames at ${options.size}x${options.size}, pose noise ${noise.degrees} deg, ${noise.centimetres} cm)`)
}

interface Setting {
  readonly train: Dataset
  readonly setup: AvatarSetup
  readonly config: Stage1Config
  readonly dataDir: string
}

const setting = async (v: Flags, dataDir: string): Promise<Setting> => {
  const train = await Effect.runPromise(readGaussianAvatar(join(dataDir, "train")))
  const first = await Effect.runPromise(train.sample(0))
  const [height, width] = (first.tensors["image"]?.shape ?? [0, 0]) as [number, number]
  const sizes = { querySize: Number(v.query), featureSize: Number(v.features), channels: 16, hidden: 32 }
  const setup = avatarSetup(openBody(), Float64Array.from(first.tensors["betas"]?.data ?? []), sizes.querySize, sizes.featureSize)
  const lpips = await Effect.runPromise(loadLpips(lpipsFiles(v.lpips)))
  const camera = renderCamera(first.tensors["intrinsic"]?.data ?? [], width, height)
  const config: Stage1Config = { dims: setup.dims, sizes, camera, losses: stage1Losses, rates: stage1Rates(1), ...(lpips ? { lpips } : {}) }
  console.log(`avatar: ${setup.dims.N} Gaussians, ${train.size} frames of ${width}x${height}`)
  return { train, setup, config, dataDir }
}

type Scores = Record<"novelView" | "novelPose", Evaluation["mean"]>

type Build = (c: Stage1Config) => AnyGraph

/** Both stages (stage 2 continues stage 1's scale warm-up), then the scores of stage 2 on the held-out splits. */
const trainAndScore = async (label: string, builds: { stage1: Build; stage2: Build }, s: Setting, v: Flags, out: string): Promise<Scores> => {
  const constants = s.setup.constants
  const first: TrainedState = await runPromise(builds.stage1(s.config), s.train, { epochs: Number(v.epochs1), constants, progress: "log" })
  const secondGraph = builds.stage2({ ...s.config, stage1Iterations: first.step })
  const second = await runPromise(secondGraph, s.train, { epochs: Number(v.epochs2), constants, initFrom: first, progress: "log" })
  const renderGraph = renderOf(secondGraph)
  const score = async (split: string): Promise<Evaluation["mean"]> => {
    const data = await Effect.runPromise(readGaussianAvatar(join(s.dataDir, split)))
    const evaluation = await Effect.runPromise(evaluateSplit(renderGraph, second, data, join(out, label, split)).pipe(Effect.provide(Layer.mergeAll(WasmBackend, BuiltinOps))))
    return evaluation.mean
  }
  const scores = { novelView: await score("test"), novelPose: await score("novel_pose") }
  console.log(`${label}: novel view PSNR ${scores.novelView.psnr.toFixed(2)} dB SSIM ${scores.novelView.ssim.toFixed(4)}; novel pose PSNR ${scores.novelPose.psnr.toFixed(2)} dB SSIM ${scores.novelPose.ssim.toFixed(4)}`)
  return scores
}

export const runVariantExample = async (example: VariantExample): Promise<void> => {
  const v = flags(example)
  const began = performance.now()
  const dataDir = v.data ?? join(v.out, "data")
  await makeData(dataDir, v)
  const s = await setting(v, dataDir)
  const variant = await trainAndScore(example.name, { stage1: example.stage1 ?? stage1, stage2: example.stage2 ?? ((c) => stage2(c)) }, s, v, v.out)
  const baseline = v.baseline ? await trainAndScore("baseline", { stage1, stage2: (c) => stage2(c) }, s, v, v.out) : undefined
  const wallSeconds = (performance.now() - began) / 1000
  mkdirSync(v.out, { recursive: true })
  writeFileSync(join(v.out, "metrics.json"), JSON.stringify({ variant: example.name, scores: variant, baseline, wallSeconds }, null, 2))
  console.log(`wall time ${wallSeconds.toFixed(0)} s; wrote ${join(v.out, "metrics.json")}`)
}
