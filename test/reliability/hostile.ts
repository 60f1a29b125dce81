/**
 * Hostile and damaged inputs, built on the fly (nothing binary is checked in): pickles with
 * negative or oversized lengths, huge APPENDS and quadratic copies; torch files with stride-0
 * views, views past their storage and storages that inflate to hundreds of megabytes; npz
 * entries that do the same; PNG and JPEG headers declaring enormous frames; truncated images.
 * Each case names the reader that gets it (readInChild.ts) and what it must answer.
 */
import { zipSync } from "fflate"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { constants, deflateRawSync } from "node:zlib"
import jpeg from "jpeg-js"
import { crc32 } from "../../src/io/crc32.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { encodeNpy } from "../../src/io/npy.ts"
import { encodePng } from "../../src/io/png.ts"
import { PickleWriter, type PyValue } from "../io/pickle-writer.ts"
import { tensorCall } from "../io/torch-writer.ts"

/** Which reader the child runs: a pickle, a torch file, every key of an npz or one key, a frame, a pose file. */
export type ReaderKind = "pickle" | "torch" | "npz" | "npz-key" | "image" | "poses"

export interface HostileCase {
  readonly name: string
  readonly reader: ReaderKind
  /** Extra argument of the reader (the npz key). */
  readonly argument?: string
  /** The file's name (its extension selects PNG / JPEG) and bytes. */
  readonly file: string
  readonly bytes: () => Uint8Array
  /** The one-line error expected, or "reads" when the file is valid and must simply be read. */
  readonly expect: RegExp | "reads"
}

const MB = 1 << 20

/**
 * A raw deflate stream of `prefix` then `megabytes` MB of zeros, in about a thousandth of that: the
 * prefix and one 1 MB segment of zeros, each sync-flushed, the segment repeated (it starts with a
 * literal zero and then copies the byte before), then an empty final block.
 */
export const zeroBomb = (megabytes: number, prefix: Uint8Array = new Uint8Array(0)): Uint8Array => {
  const flushed = (bytes: Uint8Array) => deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
  const segment = flushed(Buffer.alloc(MB))
  return new Uint8Array(Buffer.concat([flushed(prefix), ...Array<Buffer>(megabytes).fill(segment), deflateRawSync(Buffer.alloc(0))]))
}

interface ZipEntryBytes {
  readonly name: string
  readonly deflated: Uint8Array
  readonly declared: number
  readonly crc?: number
}

/**
 * A local (signature 0x04034b50, fields from byte 8) or directory (0x02014b50, fields from byte 10)
 * record: method deflate, CRC, compressed and declared sizes, name length, then the name.
 */
const zipRecord = (e: ZipEntryBytes, directoryOffset?: number): Buffer => {
  const name = Buffer.from(e.name, "utf8")
  const local = directoryOffset === undefined
  const fields = local ? 8 : 10
  const record = Buffer.alloc((local ? 30 : 46) + name.length)
  record.writeUInt32LE(local ? 0x04034b50 : 0x02014b50, 0)
  record.writeUInt16LE(20, 4) // version made by (directory) / needed (local)
  if (!local) record.writeUInt16LE(20, 6)
  record.writeUInt16LE(8, fields)
  record.writeUInt32LE(e.crc ?? 0, fields + 6)
  record.writeUInt32LE(e.deflated.length, fields + 10)
  record.writeUInt32LE(e.declared, fields + 14)
  record.writeUInt16LE(name.length, fields + 18)
  if (!local) record.writeUInt32LE(directoryOffset, 42)
  name.copy(record, local ? 30 : 46)
  return record
}

/** A zip whose entries hold `deflated` (raw deflate) but declare `declared` bytes and the given CRC. */
export const zipWithDeflated = (entries: ReadonlyArray<ZipEntryBytes>): Uint8Array => {
  const locals: Array<Uint8Array> = []
  const centrals: Array<Uint8Array> = []
  let offset = 0
  for (const e of entries) {
    const local = zipRecord(e)
    locals.push(local, e.deflated)
    centrals.push(zipRecord(e, offset))
    offset += local.length + e.deflated.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, directory, end]))
}

const bytesOf = (...parts: ReadonlyArray<number | string | ArrayLike<number>>): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "number" ? Buffer.from([p]) : typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(Uint8Array.from(p))))))

const u32le = (n: number): Array<number> => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]

/** `[` MARK, `count` x BININT1 1, APPENDS: one APPENDS of `count` items. */
const bigAppends = (count: number): Uint8Array => {
  const out = new Uint8Array(4 + 2 * count).fill(1)
  out.set([0x5d, 0x94, 0x28])
  for (let i = 0; i < count; i++) out[3 + 2 * i] = 0x4b
  out[out.length - 1] = 0x65
  return out
}

/** A list of `items` (memo 0), then `calls` x list(memo 0) left on the stack: quadratic copying before the budget. */
const quadraticCopies = (items: number, calls: number): Uint8Array => {
  const call = [0x68, 1, 0x68, 0, 0x85, 0x52] // BINGET list(), BINGET the list, TUPLE1, REDUCE
  return bytesOf(0x80, 2, bigAppends(items), "cbuiltins\nlist\n", 0x94, Buffer.concat(Array<Buffer>(calls).fill(Buffer.from(call))), 0x2e)
}

/** A torch file: one float tensor of `size` and `stride` over a storage of `numel` elements (entry `data/0`). */
export const torchView = (numel: number, size: ReadonlyArray<number>, stride: ReadonlyArray<number>): Uint8Array => {
  const w = new PickleWriter().op(0x80, 2).op(0x7d, 0x28).str("body_pose")
  tensorCall(w, "0", numel, 0, size, stride).op(0x75, 0x2e)
  return zipSync({ "archive/data.pkl": w.bytes(), "archive/data/0": new Uint8Array(numel * 4), "archive/version": bytesOf("3\n") }, { level: 0 })
}

/** A torch file whose storage entry (declaring 72 floats, 288 bytes) inflates to `megabytes` MB. */
const torchBomb = (megabytes: number, declared: number): Uint8Array => {
  const w = new PickleWriter().op(0x80, 2).op(0x7d, 0x28).str("body_pose")
  tensorCall(w, "0", 72, 0, [1, 72], [72, 1]).op(0x75, 0x2e)
  return zipWithDeflated([
    { name: "archive/data.pkl", deflated: deflateRawSync(w.bytes()), declared: w.bytes().length, crc: crc32(w.bytes()) },
    { name: "archive/data/0", deflated: zeroBomb(megabytes), declared }
  ])
}

/**
 * An npz with a small valid `transl` and an entry `big`: a header declaring [2, 3] float32, then
 * `megabytes` MB of zeros, declaring `declared` bytes.
 */
const npzBomb = (megabytes: number, declared: number): Uint8Array => {
  const transl = encodeNpy(ndarray([2, 3], new Float32Array(6)))
  const header = transl.subarray(0, transl.length - 24)
  return zipWithDeflated([
    { name: "transl.npy", deflated: deflateRawSync(transl), declared: transl.length, crc: crc32(transl) },
    { name: "big.npy", deflated: zeroBomb(megabytes, header), declared }
  ])
}

/** An npz whose only array's header declares `shape` (float64) with a few bytes of data behind it. */
const npzDeclaring = (shape: ReadonlyArray<number>): Uint8Array => {
  const real = encodeNpy(ndarray([1], new Float64Array(1)))
  const text = Buffer.from(real).toString("latin1").replace("'shape': (1,), ", `'shape': (${shape.join(", ")}), `)
  return zipSync({ "transl.npy": Uint8Array.from(Buffer.from(text, "latin1")) }, { level: 0 })
}

const pngChunk = (type: string, data: Uint8Array): Uint8Array => {
  const body = bytesOf(type, data)
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return bytesOf(length, body, crc)
}

/** A PNG declaring width x height (RGBA) whose pixel data is `megabytes` MB of zeros, deflated. */
export const hugePng = (width: number, height: number, megabytes: number): Uint8Array => {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8)
  const idat = new Uint8Array(Buffer.concat([Buffer.from([0x78, 0x9c]), Buffer.from(zeroBomb(megabytes)), Buffer.alloc(4)]))
  return bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], pngChunk("IHDR", header), pngChunk("IDAT", idat), pngChunk("IEND", new Uint8Array(0)))
}

const smallRgba = (width: number, height: number): Uint8Array => Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37) & 0xff)

export const smallJpeg = (width = 16, height = 16): Uint8Array => new Uint8Array(jpeg.encode({ width, height, data: smallRgba(width, height) }, 90).data)

/** The first half of a file's bytes (a cut at a fixed offset may cut nothing once an encoder compresses better). */
const halfOf = (bytes: Uint8Array): Uint8Array => bytes.subarray(0, Math.floor(bytes.length / 2))

export const smallPng = (width = 16, height = 16): Uint8Array => encodePng({ width, height, channels: 4, data: smallRgba(width, height) })

/** A small JPEG whose frame header (SOF0) is rewritten to declare width x height. */
export const hugeJpeg = (width: number, height: number): Uint8Array => {
  const bytes = Buffer.from(smallJpeg())
  const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]))
  bytes.writeUInt16BE(height, sof + 5)
  bytes.writeUInt16BE(width, sof + 7)
  return new Uint8Array(bytes)
}

export const hostileCases: ReadonlyArray<HostileCase> = [
  // A 13-byte pickle whose BINSTRING length (-5) moved the reader back onto the BINSTRING: forever.
  { name: "pickle BINSTRING of length -5", reader: "pickle", file: "binstring.pkl", bytes: () => bytesOf(0x80, 2, 0x54, u32le(-5), "abcde", 0x2e), expect: /pickle has a bad length -5/ },
  { name: "pickle LONG4 of length -5", reader: "pickle", file: "long4.pkl", bytes: () => bytesOf(0x80, 2, 0x8b, u32le(-5), 0x2e), expect: /pickle has a bad length -5/ },
  { name: "pickle BINUNICODE8 of length 2^60", reader: "pickle", file: "unicode8.pkl", bytes: () => bytesOf(0x80, 4, 0x8d, [0, 0, 0, 0, 0, 0, 0, 0x10], "ab", 0x2e), expect: /pickle (truncated|has a bad length)/ },
  { name: "pickle FRAME longer than the file", reader: "pickle", file: "frame.pkl", bytes: () => bytesOf(0x80, 4, 0x95, [0xff, 0xff, 0xff, 0, 0, 0, 0, 0], 0x4e, 0x2e), expect: /pickle truncated/ },
  { name: "pickle APPENDS of 300k items", reader: "pickle", file: "appends.pkl", bytes: () => bytesOf(0x80, 2, bigAppends(300_000), 0x2e), expect: "reads" },
  { name: "pickle copying a 100k list 60k times", reader: "pickle", file: "copies.pkl", bytes: () => quadraticCopies(100_000, 60_000), expect: /asks for more work than a file of its size can justify/ },
  {
    name: "pickle scipy matrix of 1 x 10^8 made dense",
    reader: "pickle",
    file: "sparse.pkl",
    bytes: () => {
      const empty = { ndarray: ndarray([0], new Float64Array(0)) }
      const state = new Map<string, PyValue>([["_shape", [1, 100_000_000]], ["data", empty], ["indices", { ndarray: ndarray([0], new Int32Array(0)) }], ["indptr", { ndarray: ndarray([2], new Int32Array(2)) }]])
      return new PickleWriter().op(0x80, 2).global("scipy.sparse.csr", "csr_matrix").op(0x29, 0x81).value(state).op(0x62, 0x2e).bytes()
    },
    expect: /scipy csr matrix \[1, 100000000\] made dense asks for more work/
  },
  // The 1.3 KB torch file: a stride-0 tensor [20M, 72] went past 6 GB.
  { name: "torch stride-0 tensor [20M, 72]", reader: "torch", file: "stride0.pth", bytes: () => torchView(72, [20_000_000, 72], [0, 1]), expect: /tensor of shape \[20000000, 72\] has 1440000000 elements, more than the \d+ expected here/ },
  { name: "torch view past its storage", reader: "torch", file: "past.pth", bytes: () => torchView(72, [100, 72], [72, 1]), expect: /reads element 7199 of a storage of 72/ },
  { name: "torch storage declaring 512 MB for 72 floats", reader: "torch", file: "bomb-declared.pth", bytes: () => torchBomb(512, 512 * MB), expect: /holds 536870912 bytes, its 72 f4 elements need 288/ },
  { name: "torch storage inflating to 512 MB, declaring 288 bytes", reader: "torch", file: "bomb-lying.pth", bytes: () => torchBomb(512, 288), expect: /zip entry archive\/data\/0 inflates past 288 bytes/ },
  // The npz: a 2 MB entry inflating to gigabytes was unpacked although never read.
  { name: "npz whose unread entry inflates to 512 MB", reader: "npz-key", argument: "transl", file: "unread.npz", bytes: () => npzBomb(512, 512 * MB), expect: "reads" },
  { name: "npz entry inflating to 512 MB past its header", reader: "npz", file: "bomb.npz", bytes: () => npzBomb(512, 128), expect: /bomb\.npz \[big\]: zip entry big\.npy inflates past 152 bytes, more than its contents need/ },
  { name: "npz header declaring [20M, 72] float64", reader: "poses", file: "poses.npz", bytes: () => npzDeclaring([20_000_000, 72]), expect: /\[transl\] array of shape \[20000000, 72\] has 1440000000 elements, more than/ },
  // The images: a 1 MB PNG declaring 16384x16384, a 2 KB JPEG declaring 15000x15000.
  { name: "PNG declaring 16384x16384", reader: "image", file: "huge.png", bytes: () => hugePng(16384, 16384, 1024), expect: /image is 16384x16384, larger than 8192x8192 \(the limit of 8192 pixels per side\): refused before decoding/ },
  { name: "JPEG declaring 15000x15000", reader: "image", file: "huge.jpg", bytes: () => hugeJpeg(15000, 15000), expect: /image is 15000x15000, larger than 8192x8192/ },
  { name: "truncated PNG", reader: "image", file: "cut.png", bytes: () => halfOf(smallPng(64, 64)), expect: /: truncated or damaged image$/ },
  { name: "truncated JPEG", reader: "image", file: "cut.jpg", bytes: () => smallJpeg(64, 64).subarray(0, 700), expect: /: truncated or damaged image$/ }
]

/** Writes a case's file into `dir`; returns its path. */
export const writeCase = (dir: string, c: HostileCase): string => {
  const file = join(dir, c.file)
  writeFileSync(file, c.bytes())
  return file
}

