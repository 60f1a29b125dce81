/**
 * Test helper: assembles pickles opcode by opcode, the way Python 2's cPickle
 * (protocol 2) writes numpy arrays, scipy CSC matrices and chumpy Ch objects, so
 * tests can make SMPL-like .pkl files without Python.
 */
import type { NdArray } from "../../src/io/ndarray.ts"

export type PyValue =
  | null | boolean | number | string
  | { readonly int: number }
  | ReadonlyArray<PyValue>
  | ReadonlyMap<string, PyValue>
  | { readonly ndarray: NdArray }
  | { readonly csc: { readonly rows: number; readonly cols: number; readonly data: Float64Array; readonly indices: Int32Array; readonly indptr: Int32Array } }
  | { readonly chumpy: NdArray }
  | { readonly object: { readonly module: string; readonly name: string; readonly state: PyValue } }

export class PickleWriter {
  private readonly out: Array<number> = []
  op(code: number, ...bytes: ReadonlyArray<number>): this { this.out.push(code, ...bytes); return this }
  u32(n: number): Array<number> { return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff] }
  global(module: string, name: string): this { return this.op(0x63, ...ascii(`${module}\n${name}\n`)) }
  /** Python 2 str: SHORT_BINSTRING or BINSTRING, one byte per char. */
  str(s: string | Uint8Array): this {
    const bytes = typeof s === "string" ? ascii(s) : Array.from(s)
    return bytes.length < 256 ? this.op(0x55, bytes.length, ...bytes) : this.op(0x54, ...this.u32(bytes.length), ...bytes)
  }
  int(n: number): this { return n >= 0 && n < 256 ? this.op(0x4b, n) : this.op(0x4a, ...this.u32(n)) }
  float(x: number): this {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, x, false)
    return this.op(0x47, ...b)
  }
  bytes(): Uint8Array { return Uint8Array.from(this.out) }

  value(v: PyValue): this {
    if (v === null) return this.op(0x4e)
    if (v === true) return this.op(0x88)
    if (v === false) return this.op(0x89)
    if (typeof v === "number") return Number.isInteger(v) ? this.int(v) : this.float(v)
    if (typeof v === "string") return this.str(v)
    if (Array.isArray(v)) { this.op(0x28); v.forEach((x) => this.value(x)); return this.op(0x74) }
    if (v instanceof Map) {
      this.op(0x7d, 0x28)
      v.forEach((x, k) => this.str(k).value(x))
      return this.op(0x75)
    }
    if ("int" in v) return this.int(v.int)
    if ("ndarray" in v) return this.ndarray(v.ndarray)
    if ("chumpy" in v) return this.global("chumpy.ch", "Ch").op(0x29, 0x81).value(new Map([["x", { ndarray: v.chumpy }], ["_itr", null]])).op(0x62)
    if ("csc" in v) {
      const { rows, cols, data, indices, indptr } = v.csc
      const state = new Map<string, PyValue>([
        ["_shape", [rows, cols]], ["format", "csc"], ["maxprint", 50],
        ["data", { ndarray: { dtype: "f8", shape: [data.length], data } }],
        ["indices", { ndarray: { dtype: "i4", shape: [indices.length], data: indices } }],
        ["indptr", { ndarray: { dtype: "i4", shape: [indptr.length], data: indptr } }]
      ])
      return this.global("scipy.sparse.csc", "csc_matrix").op(0x29, 0x81).value(state).op(0x62)
    }
    const { module, name, state } = (v as { object: { module: string; name: string; state: PyValue } }).object
    return this.global(module, name).op(0x29, 0x81).value(state).op(0x62)
  }

  /** numpy.core.multiarray._reconstruct(ndarray, (0,), 'b') then BUILD (1, shape, dtype, False, raw). */
  ndarray(a: NdArray): this {
    this.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").int(0).op(0x85).str("b").op(0x87, 0x52)
    this.op(0x28).int(1).value(a.shape as Array<number>)
    this.global("numpy", "dtype").str(a.dtype).int(0).int(1).op(0x87, 0x52)
    this.op(0x28).int(3).str(a.dtype.endsWith("1") ? "|" : "<").op(0x4e, 0x4e, 0x4e).int(-1).int(-1).int(0).op(0x74, 0x62)
    this.op(0x89).str(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength))
    return this.op(0x74, 0x62)
  }
}

const ascii = (s: string): Array<number> => Array.from(s, (c) => c.charCodeAt(0))

/** A complete protocol-2 pickle of one value. */
export const pickleBytes = (v: PyValue): Uint8Array => new PickleWriter().op(0x80, 2).value(v).op(0x2e).bytes()
