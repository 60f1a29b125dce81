/**
 * The checkpoint format: params, Adam state, step, epoch and RNG state in one file.
 * Layout (version 2): "GAVATAR-CKPT2\n", uint32 LE header length, uint32 LE CRC-32 of the header,
 * the JSON header, then 4-byte aligned little-endian arrays, each with its CRC-32 in the header.
 * Decoding trusts nothing: the header's CRC, its shape (a schema: step and epoch whole numbers >= 0,
 * each array's length the product of its shape, inside the file), and every array's CRC are
 * checked, so a damaged file is a CheckpointError naming it and what is wrong. Version 1 files
 * (no checksums) are still read, with the same schema. Files: checkpointFiles.ts.
 */
import { Effect, ParseResult, Schema } from "effect"
import { crc32, crc32Of } from "../io/crc32.ts"
import { CheckpointError } from "./errors.ts"

const MAGIC_V1 = "GAVATAR-CKPT1\n"
const MAGIC = "GAVATAR-CKPT2\n"

export interface ArrayEntry {
  readonly key: string
  readonly dtype: "float32" | "int32"
  readonly shape: ReadonlyArray<number>
  readonly data: Float32Array | Int32Array
}

const Count = Schema.Int.pipe(Schema.nonNegative())

const HeaderFields = {
  graph: Schema.String,
  step: Count,
  epoch: Count,
  seed: Schema.Int,
  rngState: Schema.Int.pipe(Schema.between(0, 2 ** 32 - 1)),
  /** Dense Adam step counts, by param. */
  adamSteps: Schema.Record({ key: Schema.String, value: Count }),
  /** Total loss of every step so far, so loss curves survive a resume. */
  history: Schema.Array(Schema.Struct({ step: Count, total: Schema.Number }))
}

export const CheckpointHeaderSchema = Schema.Struct(HeaderFields)
export type CheckpointHeader = Schema.Schema.Type<typeof CheckpointHeaderSchema>

const StoredEntrySchema = Schema.Struct({
  key: Schema.String,
  dtype: Schema.Literal("float32", "int32"),
  shape: Schema.Array(Count),
  offset: Count,
  length: Count,
  /** CRC-32 of the array's bytes (version 2). */
  crc32: Schema.optional(Schema.Int.pipe(Schema.between(0, 2 ** 32 - 1)))
})
type StoredEntry = Schema.Schema.Type<typeof StoredEntrySchema>

const StoredHeaderSchema = Schema.Struct({ ...HeaderFields, arrays: Schema.Array(StoredEntrySchema) })

export interface Checkpoint {
  readonly header: CheckpointHeader
  readonly arrays: ReadonlyMap<string, ArrayEntry>
}

const align4 = (n: number): number => (n + 3) & ~3

const bytesOf = (data: Float32Array | Int32Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength)

/** The file as chunks (prefix and header, padding, then each array's bytes), so large arrays are not copied. */
export const encodeCheckpointChunks = (checkpoint: Checkpoint): ReadonlyArray<Uint8Array> => {
  let offset = 0
  const stored: StoredEntry[] = []
  for (const a of checkpoint.arrays.values()) {
    stored.push({ key: a.key, dtype: a.dtype, shape: a.shape, offset, length: a.data.length, crc32: crc32Of(a.data) })
    offset += a.data.length * 4
  }
  const header = Buffer.from(JSON.stringify({ ...checkpoint.header, arrays: stored }), "utf8")
  const start = align4(MAGIC.length + 8 + header.length)
  const head = Buffer.alloc(start)
  head.write(MAGIC, 0, "latin1")
  head.writeUInt32LE(header.length, MAGIC.length)
  head.writeUInt32LE(crc32(header), MAGIC.length + 4)
  header.copy(head, MAGIC.length + 8)
  return [head, ...[...checkpoint.arrays.values()].map((a) => bytesOf(a.data))]
}

export const encodeCheckpoint = (checkpoint: Checkpoint): Buffer => Buffer.concat(encodeCheckpointChunks(checkpoint))

class Damaged extends Error {}
const damaged = (reason: string): never => {
  throw new Damaged(reason)
}

/** The first problem a schema found, on one line: `"step": expected ... , got -100`. */
const firstIssue = (error: ParseResult.ParseError): string => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  return issue ? `${issue.path.length > 0 ? `"${issue.path.join(".")}": ` : ""}${issue.message}` : error.message.split("\n")[0] ?? "invalid"
}

const decodeHeader = (bytes: Buffer): { stored: Schema.Schema.Type<typeof StoredHeaderSchema>; start: number; checked: boolean } => {
  const magic = bytes.toString("latin1", 0, MAGIC.length)
  const checked = magic === MAGIC
  if (!checked && magic !== MAGIC_V1) damaged("not a gavatar checkpoint (bad magic)")
  const lengthAt = MAGIC.length
  const headerAt = lengthAt + (checked ? 8 : 4)
  if (bytes.length < headerAt) damaged("truncated header")
  const length = bytes.readUInt32LE(lengthAt)
  if (headerAt + length > bytes.length) damaged(`header of ${length} bytes runs past the end of the file (truncated?)`)
  const text = bytes.subarray(headerAt, headerAt + length)
  if (checked && crc32(text) !== bytes.readUInt32LE(lengthAt + 4)) damaged("header fails its CRC-32 check (damaged)")
  let json: unknown
  try {
    json = JSON.parse(text.toString("utf8"))
  } catch {
    damaged("header is not JSON (damaged)")
  }
  const decoded = Schema.decodeUnknownEither(StoredHeaderSchema)(json)
  if (decoded._tag === "Left") damaged(`bad header: ${firstIssue(decoded.left)}`)
  return { stored: (decoded as { right: Schema.Schema.Type<typeof StoredHeaderSchema> }).right, start: align4(headerAt + length), checked }
}

const decodeArray = (bytes: Buffer, start: number, e: StoredEntry, checked: boolean): ArrayEntry => {
  const elements = e.shape.reduce((a, b) => a * b, 1)
  if (elements !== e.length) damaged(`array "${e.key}" has ${e.length} values but shape [${e.shape.join(", ")}]`)
  const begin = start + e.offset
  if (begin + e.length * 4 > bytes.length) damaged(`array "${e.key}" runs past the end of the file (truncated?)`)
  const copy = bytes.buffer.slice(bytes.byteOffset + begin, bytes.byteOffset + begin + e.length * 4)
  if (checked && (e.crc32 === undefined || crc32(new Uint8Array(copy)) !== e.crc32)) damaged(`array "${e.key}" fails its CRC-32 check (damaged)`)
  return { key: e.key, dtype: e.dtype, shape: e.shape, data: e.dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy) }
}

export const decodeCheckpoint = (file: string, bytes: Buffer): Effect.Effect<Checkpoint, CheckpointError> =>
  Effect.try({
    try: () => {
      const { stored, start, checked } = decodeHeader(bytes)
      const arrays = new Map<string, ArrayEntry>()
      for (const e of stored.arrays) {
        if (arrays.has(e.key)) damaged(`array "${e.key}" appears twice`)
        arrays.set(e.key, decodeArray(bytes, start, e, checked))
      }
      const { arrays: _stored, ...header } = stored
      return { header, arrays }
    },
    catch: (error) => new CheckpointError({ file, reason: error instanceof Damaged ? error.message : `cannot decode: ${String(error)}` })
  })
