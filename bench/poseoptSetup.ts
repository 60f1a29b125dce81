/**
 * bench -- poseopt, part 1: the settings from the command line, the synthetic recording, and the
 * stage-1 graph of a preset built from it (with the run's constants and options).
 * Two modes:
 * - small (no --preset): the regression check of earlier sessions, 8 frames at 128x128, query map 64,
 *   feature tensor 32, 100 epochs, poses from epoch 20, refined from the fit as it is (8 frames 45
 *   degrees of turn apart are no video to smooth) row by row, the quick preset's priors;
 * - preset (--preset quick|paper): the preset's sizes, epochs, batch, pose start, priors and scale
 *   warm-up on a recording of --frames at --size (default 60 at 256x256, the demo's; 100 at 512x512
 *   is what `gavatar train` users give a 2-core machine), 10 novel views.
 * Any of --frames --size --query --features --epochs --pose-from --pose-prior --transl-prior
 * --pose-start --pose-refinement (perframe | trajectory:N[:S]) --pose-lr changes the mode's value. --start-only trains nothing: the errors of the fit
 * and of the refinement's start (what smoothing along time alone removes); --refined-only trains the
 * refined run alone (the poses' figures, no PSNR targets).
 */
import { Effect } from "effect"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { openBody } from "../src/body/openBody.ts"
import type { BodyModel } from "../src/body/model.ts"
import type { Dataset, HostTensor } from "../src/data/dataset.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import { setGroup } from "../src/dsl/edit.ts"
import { fromEpoch } from "../src/dsl/schedule.ts"
import { avatarBuilder, defaultChoices } from "../src/graphs/avatar/avatar.ts"
import type { Stage1Config } from "../src/graphs/avatar/config.ts"
import { quickSizes } from "../src/graphs/avatar/config.ts"
import type { PoseStart } from "../src/graphs/avatar/poseRefinement.ts"
import type { PoseRefinement } from "../src/graphs/avatar/poseTrajectory.ts"
import type { Preset } from "../src/graphs/avatar/presets.ts"
import { definePreset, isPresetName, presets } from "../src/graphs/avatar/presets.ts"
import { avatarGraphs, subjectOf } from "../src/graphs/avatar/avatar.ts"
import type { RunOptionsInput } from "../src/runtime/options.ts"
import { DEFAULT_OPTIONS } from "../src/synth/generate.ts"
import { TRUTH_FILE } from "../src/synth/write.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { ensureSynthetic } from "./synthData.ts"

export type Stage1Graph = ReturnType<typeof stage1>

const options = {
  preset: { type: "string" },
  frames: { type: "string" },
  size: { type: "string" },
  query: { type: "string" },
  features: { type: "string" },
  epochs: { type: "string" },
  "pose-from": { type: "string" },
  "pose-prior": { type: "string" },
  "transl-prior": { type: "string" },
  "pose-start": { type: "string" },
  "pose-refinement": { type: "string" },
  "pose-lr": { type: "string", default: "5e-3" },
  noise: { type: "string", default: "5,2" },
  "test-frames": { type: "string" },
  "truth-baseline": { type: "boolean", default: false },
  oracle: { type: "boolean", default: false },
  "start-only": { type: "boolean", default: false },
  "refined-only": { type: "boolean", default: false }
} as const

export interface Settings {
  /** "small" without --preset, else the preset's name. */
  readonly mode: string
  readonly preset: Preset
  readonly frames: number
  readonly size: number
  readonly testFrames: number
  readonly noise: { readonly degrees: number; readonly centimetres: number }
  readonly poseRate: number
  /** Train on the true fits too (always in preset mode). */
  readonly truthBaseline: boolean
  readonly oracle: boolean
  /** Only the errors of the fit and of the refinement's start: no training. */
  readonly startOnly: boolean
  /** Only the refined training (the poses' figures; no PSNR comparison). */
  readonly refinedOnly: boolean
}

const number = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : Number(text))

/** "fit" or "smoothed:N" (a knot every N frames). */
const poseStartOf = (text: string | undefined, fallback: PoseStart): PoseStart => {
  if (text === undefined) return fallback
  if (text === "fit") return { _tag: "Fit" }
  const match = /^smoothed:(\d+)$/.exec(text)
  if (!match) throw new Error(`bench poseopt: --pose-start must be fit or smoothed:N, got "${text}"`)
  return { _tag: "Smoothed", knotSpacing: Number(match[1]) }
}

/** "perframe" or "trajectory:N[:S]" (a knot every N frames, knots at S times the rows' rate, default 0.1). */
const poseRefinementOf = (text: string | undefined, fallback: PoseRefinement): PoseRefinement => {
  if (text === undefined) return fallback
  if (text === "perframe") return { _tag: "PerFrame" }
  const match = /^trajectory:(\d+)(?::([\d.e-]+))?$/.exec(text)
  if (!match) throw new Error(`bench poseopt: --pose-refinement must be perframe or trajectory:N[:S], got "${text}"`)
  return { _tag: "Trajectory", knotSpacing: Number(match[1]), rateScale: Number(match[2] ?? 0.1) }
}

/** The base preset of the mode: the named one, or the small regression setting on the quick preset. */
const basePreset = (name: string | undefined): Preset => {
  // The small recording's 8 frames are 45 degrees of turn apart, not a video: refined from the fit as it is.
  if (name === undefined) return definePreset({ name: "small", sizes: { ...quickSizes, querySize: 64, featureSize: 32 }, epochs: { stage1: 100, stage2: 1 }, poseFrom: 20, poseStart: { _tag: "Fit" }, poseRefinement: { _tag: "PerFrame" } })
  if (!isPresetName(name)) throw new Error(`bench poseopt: --preset must be ${Object.keys(presets).join(" or ")}, got "${name}"`)
  return presets[name]
}

export const parseSettings = (rest: ReadonlyArray<string>): Settings => {
  const { values } = parseArgs({ args: [...rest], options, strict: true })
  const base = basePreset(values.preset)
  const small = values.preset === undefined
  const [degrees, centimetres] = String(values.noise).split(",").map(Number) as [number, number]
  const preset = definePreset({
    ...base,
    sizes: { ...base.sizes, querySize: number(values.query, base.sizes.querySize), featureSize: number(values.features, base.sizes.featureSize) },
    epochs: { ...base.epochs, stage1: number(values.epochs, base.epochs.stage1) },
    poseFrom: number(values["pose-from"], base.poseFrom),
    posePrior: number(values["pose-prior"], base.posePrior),
    translPrior: number(values["transl-prior"], base.translPrior),
    poseStart: poseStartOf(values["pose-start"], base.poseStart),
    poseRefinement: poseRefinementOf(values["pose-refinement"], base.poseRefinement)
  })
  if (preset.poseFrom >= preset.epochs.stage1) console.log(`warning: poses from epoch ${preset.poseFrom} is not before epoch ${preset.epochs.stage1}: the poses are never optimised`)
  return {
    mode: small ? "small" : base.name,
    preset,
    frames: number(values.frames, small ? 8 : 60),
    size: number(values.size, small ? 128 : 256),
    testFrames: number(values["test-frames"], small ? 4 : 10),
    noise: { degrees, centimetres },
    poseRate: Number(values["pose-lr"]),
    truthBaseline: !small || values["truth-baseline"] || values.oracle,
    oracle: values.oracle,
    startOnly: values["start-only"],
    refinedOnly: values["refined-only"]
  }
}

export interface Setup {
  readonly settings: Settings
  readonly body: BodyModel
  /** The training split with the noisy fit, the same with the true fit, the test split with its true poses. */
  readonly train: Dataset
  readonly truth: Dataset
  readonly test: Dataset
  readonly config: Stage1Config
  /** Stage 1 of the preset (pose rate --pose-lr from its pose epoch on). */
  readonly graph: Stage1Graph
  /** Run options of the noisy-fit dataset: the preset's epochs and batch, the graph's constants (the smoothed start among them). */
  readonly runOptions: RunOptionsInput
  /** The same for the true fit (its smoothed start is of the true poses; the frozen graph does not read it). */
  readonly truthRunOptions: RunOptionsInput
  readonly betas: Float64Array
  readonly extrinsic: ArrayLike<number>
}

export const outDir = (settings: Settings): string => join("out", "bench", "poseopt", settings.mode)

export const prepare = async (settings: Settings): Promise<Setup> => {
  const { frames, size, noise, preset } = settings
  const body = openBody()
  const dataDir = join("out", "bench", `poseopt-data-${frames}x${size}-${noise.degrees}deg-${noise.centimetres}cm${settings.testFrames === 4 ? "" : `-${settings.testFrames}test`}`)
  await ensureSynthetic(dataDir, body, { ...DEFAULT_OPTIONS, frames, size, testFrames: settings.testFrames, novelPoseFrames: 1, noise })
  const read = (split: string, fit?: string) => Effect.runPromise(readGaussianAvatar(join(dataDir, split), fit === undefined ? {} : { smplParams: fit }))
  const train = await read("train")
  const truth = await read("train", TRUTH_FILE)
  const test = await read("test", TRUTH_FILE)
  const builder = avatarBuilder({ ...defaultChoices(1), body, preset })
  const built = await Effect.runPromise(builder.build(train))
  const builtTruth = await Effect.runPromise(builder.build(truth))
  const subject = await Effect.runPromise(subjectOf(train))
  const { config } = avatarGraphs({ ...defaultChoices(1), body, preset, frames: train.size }, subject)
  const graph = setGroup(stage1(config), "pose", { lr: fromEpoch(preset.poseFrom, settings.poseRate) })
  const first = await Effect.runPromise(train.sample(0))
  const tensor = (key: string): HostTensor["data"] => first.tensors[key]?.data ?? new Float32Array(0)
  return {
    settings,
    body,
    train,
    truth,
    test,
    config,
    graph,
    runOptions: { ...built.options, constants: built.constants },
    truthRunOptions: { ...builtTruth.options, constants: builtTruth.constants },
    betas: Float64Array.from(tensor("betas")),
    extrinsic: tensor("extrinsic")
  }
}
