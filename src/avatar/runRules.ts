/**
 * The rules that keep a run folder consistent: a run keeps the dataset, frame selection, preset and
 * body it was started with (a later call may repeat them, not change them), run.json records them,
 * and stage 2 alone starts from the run's stage 1.
 */
import { Effect, Option, ParseResult, Schema } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { BodyChoice } from "../body/choice.ts"
import { describeBody, openBodyChoice } from "../body/choice.ts"
import type { FrameSelection, OpenedData } from "./datasets.ts"
import type { RunInfo } from "./runFolder.ts"
import { loadTrainedState, RunFolderError, stageDir } from "./runFolder.ts"
import type { AvatarChoices, AvatarSubject } from "../graphs/avatar/avatar.ts"
import { avatarGraphs } from "../graphs/avatar/avatar.ts"
import type { Preset, PresetName } from "../graphs/avatar/presets.ts"
import { isPresetName, presets, PresetSchema } from "../graphs/avatar/presets.ts"

/** What a caller asks of a run folder; undefined fields: the run's own when resuming, else the defaults. */
export interface RunRequest {
  readonly out: string
  /** quick, paper or a preset JSON file. */
  readonly preset: PresetName | `${string}.json` | undefined
  readonly body: BodyChoice | undefined
  readonly frames: FrameSelection | undefined
}

/**
 * What is wrong with a preset file, on one line: its unknown fields with the known ones (a misspelt
 * `epochz` would otherwise be ignored), else the first bad value.
 */
const presetProblem = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const unknown = issues.filter((i) => i._tag === "Unexpected")
  const first = unknown[0] ?? issues[0]
  if (first === undefined) return error.message
  const field = (path: ReadonlyArray<PropertyKey>) => path.map(String).join(".")
  if (first._tag !== "Unexpected") return `${first.path.length > 0 ? `"${field(first.path)}": ` : ""}${first.message}`
  const known = (/expected: (.*)$/.exec(first.message)?.[1] ?? "").split(" | ").map((k) => k.replace(/^"|"$/g, ""))
  const parent = first.path.slice(0, -1)
  const names = unknown.filter((i) => field(i.path.slice(0, -1)) === field(parent)).map((i) => `"${field(i.path)}"`)
  return `unknown field${names.length > 1 ? "s" : ""} ${names.join(", ")} (known fields${parent.length > 0 ? ` of "${field(parent)}"` : ""}: ${known.join(", ")})`
}

/** --preset: a built-in preset's name or a JSON file decoded by PresetSchema, unknown fields refused. */
const requestedPreset = (name: NonNullable<RunRequest["preset"]>): Effect.Effect<Preset, RunFolderError> =>
  isPresetName(name)
    ? Effect.succeed(presets[name])
    : Effect.try({ try: () => JSON.parse(readFileSync(name, "utf8")) as unknown, catch: (e) => new RunFolderError({ file: name, reason: `cannot read the preset: ${String(e)}` }) }).pipe(
        Effect.flatMap((json) =>
          Effect.mapError(Schema.decodeUnknown(PresetSchema)(json, { onExcessProperty: "error", errors: "all" }), (e) => new RunFolderError({ file: name, reason: `not a preset: ${presetProblem(e)}` }))
        )
      )

/** The run's preset: the one it was started with, which --preset may repeat but not change. */
export const presetFor = (args: RunRequest, previous: Option.Option<RunInfo>): Effect.Effect<Preset, RunFolderError> =>
  Effect.gen(function* () {
    const requested = args.preset === undefined ? undefined : yield* requestedPreset(args.preset)
    if (Option.isNone(previous)) return requested ?? presets.quick
    const info = previous.value
    if (requested === undefined || requested.name === info.preset.name) return info.preset
    return yield* new RunFolderError({ file: join(args.out, "run.json"), reason: `this run was started with preset "${info.preset.name}", not "${requested.name}": use another --out` })
  })

export const runInfo = (preset: Preset, body: BodyChoice, data: OpenedData & { readonly selection: FrameSelection | undefined }, subject: AvatarSubject, extrinsic: ArrayLike<number>): RunInfo => ({
  version: 1,
  preset,
  body,
  data: { layout: data.layout, folder: data.folder, frames: data.dataset.size, ...(data.selection ? { selection: data.selection } : {}) },
  subject: { betas: Array.from(subject.betas), intrinsic: Array.from(subject.intrinsic), width: subject.width, height: subject.height },
  extrinsic: Array.from(extrinsic)
})

/** The run's frame selection: the one it was started with, which --frames may repeat but not change. */
export const selectionFor = (args: RunRequest, previous: Option.Option<RunInfo>): Effect.Effect<FrameSelection | undefined, RunFolderError> => {
  if (Option.isNone(previous)) return Effect.succeed(args.frames)
  const before = previous.value.data.selection
  const text = (s: FrameSelection | undefined) => (s ? `${s.start}:${s.end}:${s.step}` : "all frames")
  return args.frames === undefined || text(args.frames) === text(before)
    ? Effect.succeed(before)
    : Effect.fail(new RunFolderError({ file: join(args.out, "run.json"), reason: `this run trains on ${text(before)}, not ${text(args.frames)}: use another --out` }))
}

/** The run's body: the one it was started with, which --body may repeat but not change. */
export const bodyFor = (args: RunRequest, previous: Option.Option<RunInfo>): Effect.Effect<BodyChoice, RunFolderError> => {
  if (Option.isNone(previous)) return Effect.succeed(args.body ?? openBodyChoice)
  const before = previous.value.body
  return args.body === undefined || JSON.stringify(args.body) === JSON.stringify(before)
    ? Effect.succeed(before)
    : Effect.fail(new RunFolderError({ file: join(args.out, "run.json"), reason: `this run was started with ${describeBody(before)}, not ${describeBody(args.body)}: use another --out` }))
}

/** Stage 1's trained state from RUN/stage1 (stage 2 alone starts from it). */
export const stage1From = (args: RunRequest, choices: AvatarChoices, subject: AvatarSubject) =>
  Effect.suspend(() => {
    const { graph, setup } = avatarGraphs(choices, subject)
    const dir = stageDir(args.out, 1)
    return Effect.mapError(loadTrainedState(graph, dir, setup.constants), (e) => new RunFolderError({ file: e.file, reason: `${e.reason}: stage 2 starts from stage 1, train it first (--stage 1 or both)` }))
  })
