/**
 * Zip archives (.npz, torch .pth) read one entry at a time: opening reads only the central
 * directory (names, methods, sizes, CRC-32s; zip64 records included); an entry is inflated only
 * when asked for, with a byte limit the caller derives from what it expects (an .npy header's
 * shape, a torch storage's element count), and must then match its declared size and CRC-32.
 * Methods: stored (0) and deflate (8). A damaged directory, an entry past the end of the file,
 * an entry that inflates past its limit or differs from its declared size fails with IoError.
 * Pure JavaScript (fflate's streaming inflate, no Node Buffer): the web viewer reads archives too.
 */
import { Inflate } from "fflate"
import { crc32 } from "./crc32.ts"
import { fail } from "./errors.ts"
import { latin1Decode } from "./latin1.ts"

export interface ZipEntry {
  readonly name: string
  /** 0 stored, 8 deflate. */
  readonly method: number
  readonly compressedSize: number
  /** The uncompressed size the directory declares. */
  readonly size: number
  readonly crc: number
  readonly localHeader: number
}

export interface ZipArchive {
  readonly file: string
  /** In directory order. */
  readonly entries: ReadonlyArray<ZipEntry>
  readonly find: (name: string) => ZipEntry | undefined
  /** The entry's bytes; fails when it declares or inflates to more than `limit` bytes. */
  readonly read: (entry: ZipEntry, limit: number) => Uint8Array
  /** The first bytes of the entry (at most `count`, fewer if it is shorter), without inflating the rest. */
  readonly prefix: (entry: ZipEntry, count: number) => Uint8Array
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX_COMMENT = 0xffff

/** Little-endian reads that fail (IoError) instead of reading past the end. */
const reader = (bytes: Uint8Array, file: string) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const within = (at: number, n: number) => {
    if (!(at >= 0 && at + n <= bytes.length)) fail(file, `zip archive damaged or truncated (a record at byte ${at} runs past the end, ${bytes.length} bytes)`)
  }
  return {
    u16: (at: number) => (within(at, 2), view.getUint16(at, true)),
    u32: (at: number) => (within(at, 4), view.getUint32(at, true)),
    u64: (at: number) => (within(at, 8), Number(view.getBigUint64(at, true))),
    within
  }
}

const findEndRecord = (bytes: Uint8Array, file: string): number => {
  const r = reader(bytes, file)
  const lowest = Math.max(0, bytes.length - 22 - MAX_COMMENT)
  for (let at = bytes.length - 22; at >= lowest; at--) if (r.u32(at) === EOCD) return at
  return fail(file, "not a zip archive (no end-of-directory record)")
}

/** Entry count and directory offset, from the zip64 end record when the archive has one. */
const directoryOf = (bytes: Uint8Array, file: string) => {
  const r = reader(bytes, file)
  const end = findEndRecord(bytes, file)
  let count = r.u16(end + 10)
  let offset = r.u32(end + 16)
  if (end >= 20 && r.u32(end - 20) === ZIP64_LOCATOR) {
    const record = r.u64(end - 12)
    if (r.u32(record) !== ZIP64_EOCD) fail(file, "zip archive damaged (bad zip64 end record)")
    count = r.u64(record + 32)
    offset = r.u64(record + 48)
  }
  // A directory record takes at least 46 bytes: the count cannot exceed what the file holds.
  if (count * 46 > bytes.length) fail(file, `zip archive damaged (declares ${count} entries in ${bytes.length} bytes)`)
  return { count, offset }
}

/** Sizes and offset that are 0xFFFFFFFF in a directory record are in its zip64 extra field, in this order. */
const zip64Fields = (r: ReturnType<typeof reader>, extraStart: number, extraLength: number, wanted: ReadonlyArray<boolean>): Array<number | undefined> => {
  for (let at = extraStart; at + 4 <= extraStart + extraLength; ) {
    const id = r.u16(at)
    const size = r.u16(at + 2)
    if (id === 0x0001) {
      let field = at + 4
      return wanted.map((w) => {
        if (!w) return undefined
        const v = r.u64(field)
        field += 8
        return v
      })
    }
    at += 4 + size
  }
  return wanted.map(() => undefined)
}

const readDirectory = (bytes: Uint8Array, file: string): Array<ZipEntry> => {
  const r = reader(bytes, file)
  const { count, offset } = directoryOf(bytes, file)
  const entries: Array<ZipEntry> = []
  let at = offset
  for (let i = 0; i < count; i++) {
    if (r.u32(at) !== CENTRAL) fail(file, `zip archive damaged (directory record ${i} at byte ${at} has a bad signature)`)
    const flags = r.u16(at + 8)
    const method = r.u16(at + 10)
    const nameLength = r.u16(at + 28)
    const extraLength = r.u16(at + 30)
    const commentLength = r.u16(at + 32)
    r.within(at + 46, nameLength + extraLength + commentLength)
    const raw = bytes.subarray(at + 46, at + 46 + nameLength)
    const name = (flags & 0x800) !== 0 ? new TextDecoder().decode(raw) : latin1Decode(raw)
    const small = { compressed: r.u32(at + 20), size: r.u32(at + 24), local: r.u32(at + 42) }
    const [size, compressed, local] = zip64Fields(r, at + 46 + nameLength, extraLength, [small.size === 0xffffffff, small.compressed === 0xffffffff, small.local === 0xffffffff])
    entries.push({ name, method, compressedSize: compressed ?? small.compressed, size: size ?? small.size, crc: r.u32(at + 16), localHeader: local ?? small.local })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** The compressed bytes of an entry, located through its local header. */
const rawData = (bytes: Uint8Array, file: string, entry: ZipEntry): Uint8Array => {
  const r = reader(bytes, file)
  if (r.u32(entry.localHeader) !== LOCAL) fail(file, `zip entry ${entry.name} damaged (bad local header)`)
  const start = entry.localHeader + 30 + r.u16(entry.localHeader + 26) + r.u16(entry.localHeader + 28)
  if (!(start + entry.compressedSize <= bytes.length)) fail(file, `zip entry ${entry.name} runs past the end of the file (truncated?)`)
  return bytes.subarray(start, start + entry.compressedSize)
}

const checkMethod = (file: string, entry: ZipEntry): void => {
  if (entry.method !== 0 && entry.method !== 8) fail(file, `zip entry ${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`)
}

/** Compressed bytes fed to the inflater at a time: deflate expands at most ~1032 times, so one step makes at most ~4 MB. */
const STEP = 4096

class PastLimit extends Error {}

/**
 * Inflates `raw` (a raw deflate stream) step by step, stopping as soon as the output passes `limit`
 * bytes, or, with `prefixOnly`, once `limit` bytes are out (a truncated stream is then fine).
 */
const inflateStepwise = (raw: Uint8Array, limit: number, prefixOnly: boolean): Uint8Array => {
  const parts: Array<Uint8Array> = []
  let total = 0
  const inflater = new Inflate()
  inflater.ondata = (chunk) => {
    parts.push(chunk)
    total += chunk.length
    if (total > limit) throw new PastLimit()
  }
  try {
    for (let at = 0; at < raw.length || at === 0; at += STEP) {
      inflater.push(raw.subarray(at, at + STEP), !prefixOnly && at + STEP >= raw.length)
      if (prefixOnly && total >= limit) break
    }
  } catch (cause) {
    if (!(cause instanceof PastLimit && prefixOnly)) throw cause
  }
  const out = new Uint8Array(Math.min(total, limit + (prefixOnly ? 0 : 1)))
  let at = 0
  for (const part of parts) {
    if (at >= out.length) break
    out.set(part.subarray(0, out.length - at), at)
    at += part.length
  }
  return out
}

const inflateLimited = (file: string, entry: ZipEntry, raw: Uint8Array, limit: number): Uint8Array => {
  try {
    return inflateStepwise(raw, limit, false)
  } catch (cause) {
    if (cause instanceof PastLimit) return fail(file, `zip entry ${entry.name} inflates past ${limit} bytes, more than its contents need`)
    return fail(file, `zip entry ${entry.name} does not inflate: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

const readEntry = (bytes: Uint8Array, file: string, entry: ZipEntry, limit: number): Uint8Array => {
  checkMethod(file, entry)
  if (entry.size > limit) fail(file, `zip entry ${entry.name} declares ${entry.size} bytes, more than the ${limit} its contents need`)
  const raw = rawData(bytes, file, entry)
  const data = entry.method === 0 ? raw : inflateLimited(file, entry, raw, limit)
  if (data.length !== entry.size) fail(file, `zip entry ${entry.name} holds ${data.length} bytes but declares ${entry.size} (damaged?)`)
  if (crc32(data) !== entry.crc) fail(file, `zip entry ${entry.name} fails its CRC-32 check (damaged)`)
  return data
}

const readPrefix = (bytes: Uint8Array, file: string, entry: ZipEntry, count: number): Uint8Array => {
  checkMethod(file, entry)
  const raw = rawData(bytes, file, entry)
  if (entry.method === 0) return raw.subarray(0, count)
  try {
    return inflateStepwise(raw, count, true)
  } catch (cause) {
    return fail(file, `zip entry ${entry.name} does not inflate: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

/** Reads the directory of a zip archive held in memory (throws IoError; run inside `attempt`). */
export const openZip = (bytes: Uint8Array, file: string): ZipArchive => {
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail(file, "not a zip archive")
  const entries = readDirectory(bytes, file)
  const byName = new Map(entries.map((e) => [e.name, e]))
  return {
    file,
    entries,
    find: (name) => byName.get(name),
    read: (entry, limit) => readEntry(bytes, file, entry, limit),
    prefix: (entry, count) => readPrefix(bytes, file, entry, count)
  }
}
