/**
 * `gavatar train`: opens the dataset (any layout, src/avatar/datasets.ts) and the body model (open or
 * the user's SMPL file), writes RUN/run.json, then trains stage 1 and/or stage 2 with run()'s
 * checkpoints in RUN/stage1 and RUN/stage2, so that a second call resumes where the first stopped
 * (and returns at once when both are done). A run keeps its dataset, preset and body.
 */
import { Effect, Option, Schema } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { BodyChoice } from "../avatar/body.ts"
import { describeBody, loadBody } from "../avatar/body.ts"
import type { FrameSelection, OpenedData } from "../avatar/datasets.ts"
import { loadLpips } from "../avatar/lpips.ts"
import { openTrainingData } from "../avatar/datasets.ts"
import type { RunInfo } from "../avatar/runFolder.ts"
import { loadTrainedState, readRunInfo, RunFolderError, stageDir, writeRunInfo } from "../avatar/runFolder.ts"
import type { AvatarChoices, AvatarSubject } from "../graphs/avatar/avatar.ts"
import { avatarBuilder, avatarGraphs, defaultChoices, subjectOf } from "../graphs/avatar/avatar.ts"
import type { Preset } from "../graphs/avatar/presets.ts"
import { isPresetName, presets, PresetSchema } from "../graphs/avatar/presets.ts"
import { checkpointFile, run } from "../runtime/run.ts"
import type { TrainedState } from "../runtime/state.ts"
import type { TrainArgs } from "./args.ts"

/** --preset: a built-in preset's name or a JSON file decoded by PresetSchema. */
const requestedPreset = (name: NonNullable<TrainArgs["preset"]>): Effect.Effect<Preset, RunFolderError> =>
  isPresetName(name)
    ? Effect.succeed(presets[name])
    : Effect.try({ try: () => JSON.parse(readFileSync(name, "utf8")) as unknown, catch: (e) => new RunFolderError({ file: name, reason: `cannot read the preset: ${String(e)}` }) }).pipe(
        Effect.flatMap((json) => Effect.mapError(Schema.decodeUnknown(PresetSchema)(json), (e) => new RunFolderError({ file: name, reason: `not a preset: ${e.message}` })))
      )

/** The run's preset: the one it was started with, which --preset may repeat but not change. */
const presetFor = (args: TrainArgs, previous: Option.Option<RunInfo>): Effect.Effect<Preset, RunFolderError> =>
  Effect.gen(function* () {
    const requested = args.preset === undefined ? undefined : yield* requestedPreset(args.preset)
    if (Option.isNone(previous)) return requested ?? presets.quick
    const info = previous.value
    if (requested === undefined || requested.name === info.preset.name) return info.preset
    return yield* new RunFolderError({ file: join(args.out, "run.json"), reason: `this run was started with preset "${info.preset.name}", not "${requested.name}": use another --out` })
  })

const runInfo = (preset: Preset, body: BodyChoice, data: OpenedData & { readonly selection: FrameSelection | undefined }, subject: AvatarSubject, extrinsic: ArrayLike<number>): RunInfo => ({
  version: 1,
  preset,
  body,
  data: { layout: data.layout, folder: data.folder, frames: data.dataset.size, ...(data.selection ? { selection: data.selection } : {}) },
  subject: { betas: Array.from(subject.betas), intrinsic: Array.from(subject.intrinsic), width: subject.width, height: subject.height },
  extrinsic: Array.from(extrinsic)
})

/** The run's frame selection: the one it was started with, which --frames may repeat but not change. */
const selectionFor = (args: TrainArgs, previous: Option.Option<RunInfo>): Effect.Effect<FrameSelection | undefined, RunFolderError> => {
  if (Option.isNone(previous)) return Effect.succeed(args.frames)
  const before = previous.value.data.selection
  const text = (s: FrameSelection | undefined) => (s ? `${s.start}:${s.end}:${s.step}` : "all frames")
  return args.frames === undefined || text(args.frames) === text(before)
    ? Effect.succeed(before)
    : Effect.fail(new RunFolderError({ file: join(args.out, "run.json"), reason: `this run trains on ${text(before)}, not ${text(args.frames)}: use another --out` }))
}

/** The run's body: the one it was started with, which --body may repeat but not change. */
const bodyFor = (args: TrainArgs, previous: Option.Option<RunInfo>): Effect.Effect<BodyChoice, RunFolderError> => {
  if (Option.isNone(previous)) return Effect.succeed(args.body ?? { kind: "open" })
  const before = previous.value.body
  return args.body === undefined || JSON.stringify(args.body) === JSON.stringify(before)
    ? Effect.succeed(before)
    : Effect.fail(new RunFolderError({ file: join(args.out, "run.json"), reason: `this run was started with ${describeBody(before)}, not ${describeBody(args.body)}: use another --out` }))
}

/** Stage 1's trained state from RUN/stage1 (stage 2 alone starts from it). */
const stage1From = (args: TrainArgs, choices: AvatarChoices, subject: AvatarSubject) =>
  Effect.suspend(() => {
    const { graph, setup } = avatarGraphs(choices, subject)
    const file = checkpointFile(stageDir(args.out, 1))
    return Effect.mapError(loadTrainedState(graph, file, setup.constants), (e) => new RunFolderError({ file, reason: `${e.reason}: stage 2 starts from stage 1, train it first (--stage 1 or both)` }))
  })

export const train = (args: TrainArgs) =>
  Effect.gen(function* () {
    const previous = yield* readRunInfo(args.out)
    const selection = yield* selectionFor(args, previous)
    const data = yield* openTrainingData(args.data, selection)
    if (Option.isSome(previous) && previous.value.data.folder !== data.folder)
      return yield* new RunFolderError({ file: join(args.out, "run.json"), reason: `this run trains on ${previous.value.data.folder}, not ${data.folder}: use another --out` })
    const preset = yield* presetFor(args, previous)
    const bodyChoice = yield* bodyFor(args, previous)
    const body = yield* loadBody(bodyChoice)
    const subject = yield* subjectOf(data.dataset)
    const first = yield* data.dataset.sample(0)
    writeRunInfo(args.out, runInfo(preset, bodyChoice, { ...data, selection }, subject, first.tensors["extrinsic"]?.data ?? []))
    console.log(`${data.layout} dataset ${data.folder}: ${data.dataset.size} frames of ${subject.width}x${subject.height}; preset ${preset.name}; ${describeBody(bodyChoice)}; run folder ${args.out}`)
    const lpips = yield* loadLpips(args.lpips)
    let stage1: TrainedState | undefined
    if (args.stages.includes(1)) {
      stage1 = yield* run(avatarBuilder({ ...defaultChoices(1), preset, body, lpips }), data.dataset, { checkpointDir: stageDir(args.out, 1) })
      console.log(`stage 1: step ${stage1.step}, checkpoint ${checkpointFile(stageDir(args.out, 1))}`)
    }
    if (args.stages.includes(2)) {
      const initFrom = stage1 ?? (yield* stage1From(args, { ...defaultChoices(1), preset, body }, subject))
      const stage1Steps = preset.epochs.stage1 * Math.ceil(data.dataset.size / preset.batchSize)
      if (initFrom.step < stage1Steps)
        console.log(`warning: stage 1 in ${stageDir(args.out, 1)} stopped at step ${initFrom.step} of ${stage1Steps}; stage 2 starts from it as it is (--stage 1 finishes it first)`)
      // Stage 2 continues stage 1's scale warm-up from the iterations stage 1 ran.
      const builder = avatarBuilder({ ...defaultChoices(2), preset, body, lpips, stage1Iterations: initFrom.step })
      const stage2 = yield* run(builder, data.dataset, { checkpointDir: stageDir(args.out, 2), initFrom })
      console.log(`stage 2: step ${stage2.step}, checkpoint ${checkpointFile(stageDir(args.out, 2))}`)
    }
  })
