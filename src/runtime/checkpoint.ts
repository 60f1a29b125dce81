/**
 * Checkpoints: params, Adam state, step, epoch and RNG state in one file,
 * written atomically (temp file, fsync, rename) so a crash never leaves a
 * half-written checkpoint. Layout: "GAVATAR-CKPT1\n", a uint32 (LE) header
 * length, a JSON header, then 4-byte aligned little-endian arrays.
 */
import { Effect, Option } from "effect"
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs"
import { dirname } from "node:path"
import { CheckpointError } from "./errors.ts"

const MAGIC = "GAVATAR-CKPT1\n"

export interface ArrayEntry {
  readonly key: string
  readonly dtype: "float32" | "int32"
  readonly shape: ReadonlyArray<number>
  readonly data: Float32Array | Int32Array
}

export interface CheckpointHeader {
  readonly graph: string
  readonly step: number
  readonly epoch: number
  readonly seed: number
  readonly rngState: number
  /** Dense Adam step counts, by param. */
  readonly adamSteps: Readonly<Record<string, number>>
  /** Total loss of every step so far, so loss curves survive a resume. */
  readonly history: ReadonlyArray<{ readonly step: number; readonly total: number }>
}

export interface Checkpoint {
  readonly header: CheckpointHeader
  readonly arrays: ReadonlyMap<string, ArrayEntry>
}

interface StoredEntry {
  readonly key: string
  readonly dtype: "float32" | "int32"
  readonly shape: ReadonlyArray<number>
  readonly offset: number
  readonly length: number
}

const align4 = (n: number): number => (n + 3) & ~3

export const encodeCheckpoint = (checkpoint: Checkpoint): Buffer => {
  let offset = 0
  const stored: StoredEntry[] = []
  for (const a of checkpoint.arrays.values()) {
    stored.push({ key: a.key, dtype: a.dtype, shape: a.shape, offset, length: a.data.length })
    offset += a.data.length * 4
  }
  const header = Buffer.from(JSON.stringify({ ...checkpoint.header, arrays: stored }), "utf8")
  const start = align4(MAGIC.length + 4 + header.length)
  const out = Buffer.alloc(start + offset)
  out.write(MAGIC, 0, "latin1")
  out.writeUInt32LE(header.length, MAGIC.length)
  header.copy(out, MAGIC.length + 4)
  for (const [i, a] of [...checkpoint.arrays.values()].entries()) {
    const bytes = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)
    bytes.copy(out, start + (stored[i] as StoredEntry).offset)
  }
  return out
}

export const decodeCheckpoint = (file: string, bytes: Buffer): Effect.Effect<Checkpoint, CheckpointError> =>
  Effect.try({
    try: () => {
      if (bytes.toString("latin1", 0, MAGIC.length) !== MAGIC) throw new Error("not a gavatar checkpoint (bad magic)")
      const length = bytes.readUInt32LE(MAGIC.length)
      const parsed = JSON.parse(bytes.toString("utf8", MAGIC.length + 4, MAGIC.length + 4 + length)) as CheckpointHeader & { arrays: StoredEntry[] }
      const start = align4(MAGIC.length + 4 + length)
      const arrays = new Map<string, ArrayEntry>()
      for (const e of parsed.arrays) {
        const begin = start + e.offset
        if (begin + e.length * 4 > bytes.length) throw new Error(`array "${e.key}" runs past the end of the file (truncated?)`)
        const copy = bytes.buffer.slice(bytes.byteOffset + begin, bytes.byteOffset + begin + e.length * 4)
        const data = e.dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy)
        arrays.set(e.key, { key: e.key, dtype: e.dtype, shape: e.shape, data })
      }
      const { arrays: _stored, ...header } = parsed
      return { header, arrays }
    },
    catch: (error) => new CheckpointError({ file, reason: error instanceof Error ? error.message : String(error) })
  })

/** Write atomically: a temp file in the same folder, fsync, then rename over the old one. */
export const writeCheckpoint = (file: string, checkpoint: Checkpoint): Effect.Effect<void, CheckpointError> =>
  Effect.try({
    try: () => {
      mkdirSync(dirname(file), { recursive: true })
      const temp = `${file}.tmp-${process.pid}`
      const fd = openSync(temp, "w")
      try {
        writeSync(fd, encodeCheckpoint(checkpoint))
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, file)
    },
    catch: (error) => new CheckpointError({ file, reason: `cannot write: ${String(error)}` })
  })

/** None when no checkpoint exists yet; a CheckpointError when one exists but cannot be read. */
export const readCheckpoint = (file: string): Effect.Effect<Option.Option<Checkpoint>, CheckpointError> =>
  existsSync(file)
    ? Effect.try({ try: () => readFileSync(file), catch: (e) => new CheckpointError({ file, reason: `cannot read: ${String(e)}` }) }).pipe(
        Effect.flatMap((bytes) => decodeCheckpoint(file, bytes)),
        Effect.map(Option.some)
      )
    : Effect.succeed(Option.none())
