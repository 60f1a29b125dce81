/**
 * The .npy format (numpy's one-array file): magic "\x93NUMPY", version, a
 * little-endian header length (u16 in v1, u32 in v2/v3), then a Python dict
 * literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }, then the
 * raw elements. Object and structured dtypes are rejected with IoError.
 */
import type { Effect } from "effect"
import { attempt, fail, type IoError } from "./errors.ts"
import { latin1Decode } from "./latin1.ts"
import { type Dtype, type NdArray, fortranToC, isDtype, itemSize, numel, viewAs } from "./ndarray.ts"

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93 N U M P Y

interface Header {
  readonly dtype: Dtype
  readonly littleEndian: boolean
  readonly fortranOrder: boolean
  readonly shape: ReadonlyArray<number>
}

const parseDescr = (descr: string, file: string, key?: string): { dtype: Dtype; littleEndian: boolean } => {
  const order = descr[0]
  const code = descr.slice(1)
  if (code.startsWith("O")) fail(file, "object arrays (dtype 'O', pickled Python objects) are not supported", key)
  if (code === "?") return { dtype: "b1", littleEndian: true }
  if (!isDtype(code) || (order !== "<" && order !== ">" && order !== "|" && order !== "=")) {
    fail(file, `unsupported dtype '${descr}' (supported: f8 f4 i8 i4 i2 i1 u8 u4 u2 u1 b1)`, key)
  }
  return { dtype: code as Dtype, littleEndian: order !== ">" }
}

const parseHeader = (text: string, file: string, key?: string): Header => {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)
  if (descr === null) {
    if (/'descr'\s*:\s*\[/.test(text)) fail(file, "structured (record) arrays are not supported", key)
    fail(file, `malformed .npy header: ${text.trim()}`, key)
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)
  if (fortran === null || shape === null) fail(file, `malformed .npy header: ${text.trim()}`, key)
  const dims = (shape as RegExpExecArray)[1]!.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(Number)
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) fail(file, `bad shape in .npy header: ${text.trim()}`, key)
  return { ...parseDescr((descr as RegExpExecArray)[1]!, file, key), fortranOrder: (fortran as RegExpExecArray)[1] === "True", shape: dims }
}

/** Copies `count` elements of `dtype` starting at `offset` into an aligned array, swapping bytes if big-endian. */
export const decodeElements = (bytes: Uint8Array, offset: number, dtype: Dtype, count: number, littleEndian: boolean): NdArray["data"] => {
  const size = itemSize[dtype]
  const copy = bytes.slice(offset, offset + count * size)
  if (copy.length !== count * size) throw new RangeError(`truncated data: need ${count * size} bytes, have ${copy.length}`)
  if (!littleEndian && size > 1) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse()
  }
  return viewAs(dtype, copy.buffer, count)
}

/** The largest element count a reader accepts when its caller states no smaller one (2^26: 512 MB of float64). */
export const DEFAULT_MAX_ELEMENTS = 1 << 26

export interface NpyLayout extends Header {
  /** Where the elements start. */
  readonly dataStart: number
  /** Bytes the elements take: numel(shape) x item size. */
  readonly dataBytes: number
}

/**
 * The header of a .npy file from its first bytes (which need not hold the elements): dtype, order,
 * shape, where the elements start and how many bytes they take. Fails (IoError) on a bad magic or
 * version, a header that runs past `bytes`, or a shape of more than `maxElements` elements.
 */
export const parseNpyLayout = (bytes: Uint8Array, file: string, key?: string, maxElements = DEFAULT_MAX_ELEMENTS): NpyLayout => {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(file, "not a .npy array (bad magic)", key)
  const major = bytes[6] as number
  if (major < 1 || major > 3) fail(file, `unsupported .npy version ${major}`, key)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerStart = major === 1 ? 10 : 12
  if (bytes.length < headerStart) fail(file, "truncated .npy header", key)
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  if (headerStart + headerLength > bytes.length) fail(file, `.npy header of ${headerLength} bytes runs past the end (truncated or damaged)`, key)
  const headerBytes = bytes.subarray(headerStart, headerStart + headerLength)
  const header = parseHeader(major === 3 ? new TextDecoder().decode(headerBytes) : latin1Decode(headerBytes), file, key)
  const count = numel(header.shape)
  if (count > maxElements) fail(file, `array of shape [${header.shape.join(", ")}] has ${count} elements, more than the ${maxElements} expected here`, key)
  return { ...header, dataStart: headerStart + headerLength, dataBytes: count * itemSize[header.dtype] }
}

const parseNpyBytes = (bytes: Uint8Array, file: string, key?: string, maxElements = DEFAULT_MAX_ELEMENTS): NdArray => {
  const layout = parseNpyLayout(bytes, file, key, maxElements)
  if (layout.dataStart + layout.dataBytes > bytes.length) {
    fail(file, `array of shape [${layout.shape.join(", ")}] needs ${layout.dataBytes} bytes of data, the file has ${bytes.length - layout.dataStart} (truncated?)`, key)
  }
  const count = numel(layout.shape)
  const data = decodeElements(bytes, layout.dataStart, layout.dtype, count, layout.littleEndian)
  const ordered = layout.fortranOrder && layout.shape.length > 1 ? fortranToC(data, layout.shape) : data
  if (layout.dtype === "b1") (ordered as Uint8Array).forEach((v, i, a) => { a[i] = v === 0 ? 0 : 1 })
  return { dtype: layout.dtype, shape: layout.shape, data: ordered }
}

/** Parses a .npy file's bytes. `key` names the entry when the bytes come from an .npz archive. */
export const parseNpy = (bytes: Uint8Array, file: string, key?: string, maxElements = DEFAULT_MAX_ELEMENTS): Effect.Effect<NdArray, IoError> =>
  attempt(file, key, () => parseNpyBytes(bytes, file, key, maxElements))

const descrOf = (dtype: Dtype): string => (dtype === "b1" ? "|b1" : itemSize[dtype] === 1 ? `|${dtype}` : `<${dtype}`)

/** Encodes an array as .npy version 1.0, little-endian, C order, header padded to 64 bytes. */
export const encodeNpy = (array: NdArray): Uint8Array => {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(", ")})`
  const dict = `{'descr': '${descrOf(array.dtype)}', 'fortran_order': False, 'shape': ${shape}, }`
  const unpadded = 10 + dict.length + 1
  const header = dict + " ".repeat((64 - (unpadded % 64)) % 64) + "\n"
  const body = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength)
  const out = new Uint8Array(10 + header.length + body.length)
  out.set(MAGIC, 0)
  out[6] = 1
  out[7] = 0
  new DataView(out.buffer).setUint16(8, header.length, true)
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i)
  out.set(body, 10 + header.length)
  return out
}
