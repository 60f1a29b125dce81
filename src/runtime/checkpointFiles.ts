/**
 * Checkpoint files of a run folder: DIR/checkpoint.gvck (the latest) and
 * DIR/checkpoint.previous.gvck (the one before). A write goes to a temporary file that is written
 * whole (every byte checked) and fsynced; only then does the latest become the previous and the
 * temporary file the latest (renames, then an fsync of the folder). A failed write deletes the
 * temporary file and leaves both checkpoints as they were. Reading falls back to the previous
 * checkpoint when the latest is missing (a crash between the renames) or damaged (its checksums
 * fail), and says why.
 */
import { Effect, Option } from "effect"
import { existsSync, readFileSync, renameSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { commitTemporary, removeOrphanTemps, syncFolder, writeProblem, writeTemporary } from "../io/atomic.ts"
import { type Checkpoint, decodeCheckpoint, encodeCheckpointChunks } from "./checkpoint.ts"
import { CheckpointError, CheckpointNotWritten } from "./errors.ts"

export const checkpointFile = (dir: string): string => join(dir, "checkpoint.gvck")

/** The checkpoint kept before `file`: checkpoint.gvck -> checkpoint.previous.gvck. */
export const previousFile = (file: string): string => join(dirname(file), basename(file).replace(/(\.[^.]*)?$/, (ext) => `.previous${ext}`))

/** Where a damaged latest checkpoint is moved when a run resumes from the previous one. */
export const damagedFile = (file: string): string => `${file}.damaged`

/** A checkpoint or its previous one exists in `dir`. */
export const hasCheckpoint = (dir: string): boolean => existsSync(checkpointFile(dir)) || existsSync(previousFile(checkpointFile(dir)))

/** None when the file does not exist; a CheckpointError naming it when it exists but cannot be read or is damaged. */
export const readCheckpoint = (file: string): Effect.Effect<Option.Option<Checkpoint>, CheckpointError> =>
  existsSync(file)
    ? Effect.try({ try: () => readFileSync(file), catch: (e) => new CheckpointError({ file, reason: `cannot read: ${String(e)}` }) }).pipe(
        Effect.flatMap((bytes) => decodeCheckpoint(file, bytes)),
        Effect.map(Option.some)
      )
    : Effect.succeed(Option.none())

export interface FoundCheckpoint {
  readonly checkpoint: Checkpoint
  readonly file: string
  /** Why the latest checkpoint was not used, when `file` is the previous one and the latest exists. */
  readonly refused?: CheckpointError
}

/**
 * The newest good checkpoint of `dir`: the latest, or the previous one when the latest is missing
 * or damaged. None when neither exists; a CheckpointError (naming the latest) when none is good.
 */
export const readLatestCheckpoint = (dir: string): Effect.Effect<Option.Option<FoundCheckpoint>, CheckpointError> =>
  Effect.gen(function* () {
    const file = checkpointFile(dir)
    const previous = previousFile(file)
    const latest = yield* Effect.either(readCheckpoint(file))
    if (latest._tag === "Right" && Option.isSome(latest.right)) return Option.some({ checkpoint: latest.right.value, file })
    const refused = latest._tag === "Left" ? latest.left : undefined
    const before = yield* Effect.either(readCheckpoint(previous))
    if (before._tag === "Right" && Option.isSome(before.right)) return Option.some({ checkpoint: before.right.value, file: previous, ...(refused ? { refused } : {}) })
    if (refused === undefined) return before._tag === "Left" ? yield* before.left : Option.none()
    const also = before._tag === "Left" ? `; the previous one is unusable too (${before.left.reason})` : "; there is no previous checkpoint to fall back on (move the file aside to start over)"
    return yield* new CheckpointError({ file, reason: `${refused.reason}${also}` })
  })

/** Moves a damaged latest checkpoint aside (to FILE.damaged), so the next write does not make it the previous one. */
export const setAsideDamaged = (dir: string): void => {
  const file = checkpointFile(dir)
  if (existsSync(file)) renameSync(file, damagedFile(file))
}

/** Deletes temporary checkpoint files left by killed runs in `dir`. */
export const removeOrphans = (dir: string): ReadonlyArray<string> => removeOrphanTemps(dir)

/**
 * Writes `checkpoint` as `file`, keeping the file it replaces as the previous one. On failure
 * (`keptStep`: the step of the checkpoint on disk, for the message) nothing on disk changes.
 */
export const writeCheckpoint = (file: string, checkpoint: Checkpoint, keptStep?: number): Effect.Effect<void, CheckpointNotWritten> =>
  Effect.try({
    try: () => {
      const temp = writeTemporary(file, encodeCheckpointChunks(checkpoint), { durable: true })
      if (existsSync(file)) {
        renameSync(file, previousFile(file))
      }
      commitTemporary(temp, file)
      syncFolder(dirname(file))
    },
    catch: (cause) => new CheckpointNotWritten({ file, reason: writeProblem(cause, file), ...(keptStep === undefined ? {} : { keptStep }) })
  })
