/**
 * The viewer's data files: a little-endian u32 with the header's byte length, the header as JSON
 * (whatever the file describes, plus `arrays`: name -> dtype, byte offset from the data start,
 * element count), zero padding to a multiple of 8, then the arrays' bytes. Readable by the server
 * (Node) and the page (browser) alike; no file system here.
 */
export type Dtype = "f32" | "u8" | "u16" | "i32"

export interface ArrayEntry {
  readonly dtype: Dtype
  readonly offset: number
  readonly length: number
}

export interface Header {
  readonly arrays: Readonly<Record<string, ArrayEntry>>
  readonly [key: string]: unknown
}

type Typed = Float32Array | Uint8Array | Uint16Array | Int32Array

const dtypeOf = (a: Typed): Dtype => (a instanceof Float32Array ? "f32" : a instanceof Uint8Array ? "u8" : a instanceof Uint16Array ? "u16" : "i32")
const align = (n: number, to: number) => Math.ceil(n / to) * to

/** A container holding `meta` (JSON) and the arrays. */
export const encodeContainer = (meta: Readonly<Record<string, unknown>>, arrays: Readonly<Record<string, Typed>>): Uint8Array => {
  const entries: Record<string, ArrayEntry> = {}
  let offset = 0
  for (const [name, a] of Object.entries(arrays)) {
    entries[name] = { dtype: dtypeOf(a), offset, length: a.length }
    offset = align(offset + a.byteLength, 8)
  }
  const header = new TextEncoder().encode(JSON.stringify({ ...meta, arrays: entries }))
  const start = align(4 + header.length, 8)
  const bytes = new Uint8Array(start + offset)
  new DataView(bytes.buffer).setUint32(0, header.length, true)
  bytes.set(header, 4)
  for (const [name, a] of Object.entries(arrays)) bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + (entries[name] as ArrayEntry).offset)
  return bytes
}

/** Where a container's data starts, once `bytes` holds its header (undefined before). */
export const containerHeader = (bytes: Uint8Array): { readonly header: Header; readonly dataStart: number } | undefined => {
  if (bytes.length < 4) return undefined
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true)
  if (bytes.length < 4 + length) return undefined
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as Header
  return { header, dataStart: align(4 + length, 8) }
}

/** A container read whole: its header and its arrays (copies, aligned). */
export const decodeContainer = (bytes: Uint8Array): { readonly header: Header; readonly arrays: Readonly<Record<string, Typed>> } => {
  const found = containerHeader(bytes)
  if (found === undefined) throw new Error("truncated viewer file")
  const arrays: Record<string, Typed> = {}
  for (const [name, e] of Object.entries(found.header.arrays)) {
    const size = e.dtype === "u8" ? 1 : e.dtype === "u16" ? 2 : 4
    const slice = bytes.slice(found.dataStart + e.offset, found.dataStart + e.offset + e.length * size)
    arrays[name] = e.dtype === "f32" ? new Float32Array(slice.buffer) : e.dtype === "u8" ? slice : e.dtype === "u16" ? new Uint16Array(slice.buffer) : new Int32Array(slice.buffer)
  }
  return { header: found.header, arrays }
}
