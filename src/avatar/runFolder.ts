/**
 * A training run's folder, as `gavatar train` writes it and `gavatar eval` / `gavatar render` read it:
 *   RUN/run.json              what rebuilds the graphs: preset, body, betas, the training camera, the data
 *   RUN/stage1/checkpoint.gvck, RUN/stage2/checkpoint.gvck   run()'s checkpoints (a run resumes from them)
 * loadTrainedState turns a checkpoint back into a TrainedState without the training dataset.
 */
import { Data, Effect, Option, Schema } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { removeOrphanTemps, writeFileAtomic } from "../io/atomic.ts"
import { join } from "node:path"
import type { AnyGraph, ParamSpec } from "../dsl/graph.ts"
import { BodyChoiceSchema } from "../body/choice.ts"
import type { Stage } from "../graphs/avatar/avatar.ts"
import { PresetSchema } from "../graphs/avatar/presets.ts"
import { hasCheckpoint, readLatestCheckpoint } from "../runtime/checkpointFiles.ts"
import { CheckpointError } from "../runtime/errors.ts"
import { checkpointFile } from "../runtime/run.ts"
import type { TrainedState } from "../runtime/state.ts"

export const RUN_FILE = "run.json"

export const RunInfoSchema = Schema.Struct({
  version: Schema.Literal(1),
  preset: PresetSchema,
  /** The open body, or an SMPL file and its UV layout (absolute paths). */
  body: BodyChoiceSchema,
  /** The dataset's layout and folder, for messages and for resuming. */
  data: Schema.Struct({
    layout: Schema.Literal("GaussianAvatar", "InstantAvatar"),
    folder: Schema.String,
    frames: Schema.Int,
    /** The InstantAvatar frame selection the run trains on, if any. */
    selection: Schema.optional(Schema.Struct({ start: Schema.Int, end: Schema.Int, step: Schema.Int }))
  }),
  /** Betas, intrinsics (OpenCV, 3x3 row-major) and image size of the training frames. */
  subject: Schema.Struct({ betas: Schema.Array(Schema.Number), intrinsic: Schema.Array(Schema.Number), width: Schema.Int, height: Schema.Int }),
  /** The training camera, world to camera, 4x4 row-major. */
  extrinsic: Schema.Array(Schema.Number)
})

export type RunInfo = Schema.Schema.Type<typeof RunInfoSchema>

/** A run folder without run.json, or with one that does not decode. */
export class RunFolderError extends Data.TaggedError("RunFolderError")<{ readonly file: string; readonly reason: string }> {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

export const stageDir = (run: string, stage: Stage): string => join(run, `stage${stage}`)

/**
 * Writes run.json whole or not at all (temporary file, fsync, rename), so a full disk never leaves an
 * empty one; temporary files of killed runs in the folder are removed first.
 */
export const writeRunInfo = (run: string, info: RunInfo): Effect.Effect<void, RunFolderError> => {
  const file = join(run, RUN_FILE)
  removeOrphanTemps(run)
  return Effect.mapError(
    writeFileAtomic(file, [Buffer.from(JSON.stringify(Schema.encodeSync(RunInfoSchema)(info), null, 2))], { durable: true }),
    (e) => new RunFolderError({ file, reason: e.reason })
  )
}

/**
 * Preset fields added after runs were written, each with the value that rebuilds the graph such a
 * run was trained with (no translation prior, poses starting at the fit, refined row by row): a
 * run.json without them keeps resuming, evaluating and rendering (its checkpoint has no
 * "translFit" or "poseKnots"), while a new preset's defaults apply to new runs.
 */
const fieldsOfOlderRuns = { translPrior: 0, poseStart: { _tag: "Fit" }, poseRefinement: { _tag: "PerFrame" } } as const

const withFieldsOfOlderRuns = (json: unknown): unknown => {
  if (typeof json !== "object" || json === null || !("preset" in json)) return json
  const preset = (json as { preset: unknown }).preset
  return typeof preset === "object" && preset !== null ? { ...json, preset: { ...fieldsOfOlderRuns, ...preset } } : json
}

/** None when the folder has no run.json yet. */
export const readRunInfo = (run: string): Effect.Effect<Option.Option<RunInfo>, RunFolderError> => {
  const file = join(run, RUN_FILE)
  if (!existsSync(file)) return Effect.succeed(Option.none())
  return Effect.try({ try: () => JSON.parse(readFileSync(file, "utf8")) as unknown, catch: (e) => new RunFolderError({ file, reason: `not JSON: ${String(e)}` }) }).pipe(
    Effect.flatMap((json) => Schema.decodeUnknown(RunInfoSchema)(withFieldsOfOlderRuns(json))),
    Effect.mapError((e) => (e._tag === "RunFolderError" ? e : new RunFolderError({ file, reason: e.message }))),
    Effect.map(Option.some)
  )
}

/** run.json of a trained run; a RunFolderError saying how to make one when it is missing. */
export const requireRunInfo = (run: string): Effect.Effect<RunInfo, RunFolderError> =>
  Effect.flatMap(readRunInfo(run), Option.match({
    onNone: () => Effect.fail(new RunFolderError({ file: join(run, RUN_FILE), reason: "not found: RUN must be a folder written by `gavatar train`" })),
    onSome: Effect.succeed
  }))

/** The latest stage with a checkpoint in the run folder (2 before 1), or none. */
export const latestStage = (run: string): Option.Option<Stage> =>
  hasCheckpoint(stageDir(run, 2)) ? Option.some(2) : hasCheckpoint(stageDir(run, 1)) ? Option.some(1) : Option.none()

/**
 * The newest good checkpoint of a stage folder (the previous one when the latest is damaged, which is
 * said on stderr); a CheckpointError when there is none.
 */
const goodCheckpoint = (dir: string) =>
  Effect.flatMap(readLatestCheckpoint(dir), (found) => {
    if (Option.isNone(found)) return Effect.fail(new CheckpointError({ file: checkpointFile(dir), reason: "not found" }))
    const { refused, file, checkpoint } = found.value
    if (refused) console.error(`warning: ${refused.message}; using the previous checkpoint ${file} (step ${checkpoint.header.step})`)
    return Effect.succeed(found.value)
  })

/** The step of a stage folder's newest good checkpoint; none when it has no checkpoint. */
export const checkpointStep = (dir: string): Effect.Effect<Option.Option<number>, CheckpointError> =>
  hasCheckpoint(dir) ? Effect.map(goodCheckpoint(dir), (found) => Option.some(found.checkpoint.header.step)) : Effect.succeed(Option.none())

/** The params of `graph` (per-frame ones included) read from a stage folder's newest good checkpoint; dense Given params come from `constants`. */
export const loadTrainedState = <G extends AnyGraph>(graph: G, dir: string, constants: TrainedState["constants"]): Effect.Effect<TrainedState<G>, CheckpointError> =>
  Effect.gen(function* () {
    const { file, checkpoint } = yield* goodCheckpoint(dir)
    const { header, arrays } = checkpoint
    const params: Record<string, TrainedState["params"][string]> = {}
    const frameParams: Record<string, TrainedState["params"][string]> = {}
    for (const [name, spec] of Object.entries(graph.params as Record<string, ParamSpec>)) {
      // Dense Given params are the run's constants; per-frame ones (a smoothed body fit) are trained and checkpointed.
      if (spec.init._tag === "Given" && !spec.perFrame) continue
      const entry = arrays.get(`param/${name}`)
      if (!entry) return yield* new CheckpointError({ file, reason: `has no param "${name}" (graph "${graph.name}" needs it; written by another stage or preset?)` })
      const size = spec.shape.reduce<number>((a, d) => a * (typeof d === "number" ? d : Number.NaN), 1)
      const fits = spec.perFrame ? entry.data.length % size === 0 : entry.data.length === size
      if (Number.isFinite(size) && !fits) return yield* new CheckpointError({ file, reason: `param "${name}" has ${entry.data.length} values, graph "${graph.name}" needs ${spec.perFrame ? `a multiple of ${size}` : size} (another preset?)` })
      const value = { shape: entry.shape, data: entry.data }
      if (spec.perFrame) frameParams[name] = value
      else params[name] = value
    }
    return { graph, step: header.step, epoch: header.epoch, params, frameParams, constants, history: header.history ?? [] }
  })
