/**
 * A minimal WebAssembly emitter: expression builders that return byte
 * sequences (stack-machine code in evaluation order), and `wasmModule` to wrap
 * functions importing one shared memory ("env" "memory") into a module binary.
 * Only the instructions the rasteriser's kernels use are here (MVP scalar ops
 * and 128-bit SIMD). Opcodes follow the WebAssembly core spec 2.0, section 5.4.
 */

export type Code = number[]
export type ValType = 0x7f | 0x7d | 0x7b
export const i32T: ValType = 0x7f
export const f32T: ValType = 0x7d
export const v128T: ValType = 0x7b

export interface Local {
  readonly index: number
}

export const uleb = (value: number): number[] => {
  const out: number[] = []
  let n = value >>> 0
  do {
    const byte = n & 0x7f
    n >>>= 7
    out.push(n === 0 ? byte : byte | 0x80)
  } while (n !== 0)
  return out
}

export const sleb = (value: number): number[] => {
  const out: number[] = []
  let n = value | 0
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

const f32Bytes = (x: number): number[] => Array.from(new Uint8Array(Float32Array.of(x).buffer))

export const seq = (...parts: Code[]): Code => parts.flat()

// Locals, constants, control.
export const get = (l: Local): Code => [0x20, ...uleb(l.index)]
export const set = (l: Local, value: Code): Code => [...value, 0x21, ...uleb(l.index)]
export const i32c = (n: number): Code => [0x41, ...sleb(n)]
export const f32c = (x: number): Code => [0x43, ...f32Bytes(x)]
const empty = 0x40
export const block = (...body: Code[]): Code => [0x02, empty, ...body.flat(), 0x0b]
export const loop = (...body: Code[]): Code => [0x03, empty, ...body.flat(), 0x0b]
export const when = (cond: Code, ...body: Code[]): Code => [...cond, 0x04, empty, ...body.flat(), 0x0b]
export const br = (depth: number): Code => [0x0c, ...uleb(depth)]
export const brIf = (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)]
export const call = (index: number, ...args: Code[]): Code => [...args.flat(), 0x10, ...uleb(index)]

/**
 * for (i = start; i < end; i += step) body, with `end` re-evaluated each time.
 * Inside body (outside any nested block), br(0) continues and br(2) breaks.
 */
export const forUp = (i: Local, start: Code, end: Code, step: number, ...body: Code[]): Code =>
  seq(set(i, start), block(loop(brIf(1, i32.geS(get(i), end)), block(...body), set(i, i32.add(get(i), i32c(step))), br(0))))

/** for (i = start - 1; i >= 0; i--) body; br(0) continues, br(2) breaks. */
export const forDown = (i: Local, start: Code, ...body: Code[]): Code =>
  seq(set(i, i32.sub(start, i32c(1))), block(loop(brIf(1, i32.ltS(get(i), i32c(0))), block(...body), set(i, i32.sub(get(i), i32c(1))), br(0))))

const memarg = (offset: number): number[] => [0, ...uleb(offset)]
const op1 = (opcode: number) => (a: Code): Code => [...a, opcode]
const op2 = (opcode: number) => (a: Code, b: Code): Code => [...a, ...b, opcode]

export const i32 = {
  load: (addr: Code, offset = 0): Code => [...addr, 0x28, ...memarg(offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, 0x36, ...memarg(offset)],
  eqz: op1(0x45),
  ltS: op2(0x48),
  geS: op2(0x4e),
  add: op2(0x6a),
  sub: op2(0x6b),
  mul: op2(0x6c),
  divS: op2(0x6d),
  remS: op2(0x6f),
  and: op2(0x71),
  or: op2(0x72),
  shl: op2(0x74),
  shrU: op2(0x76),
  divU: op2(0x6e),
  /** cond ? a : b (both evaluated). */
  select: (a: Code, b: Code, cond: Code): Code => [...a, ...b, ...cond, 0x1b],
  truncF32: op1(0xa8),
  /** Saturating float to int (no trap on overflow or NaN). */
  truncSatF32: (a: Code): Code => [...a, 0xfc, 0x00],
  /** min(a, b); a and b are evaluated twice (pass side-effect-free code). */
  min: (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, 0x48, 0x1b],
  /** max(a, b); a and b are evaluated twice. */
  max: (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, 0x4a, 0x1b]
}

export const f32 = {
  load: (addr: Code, offset = 0): Code => [...addr, 0x2a, ...memarg(offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, 0x38, ...memarg(offset)],
  gt: op2(0x5e),
  add: op2(0x92),
  sub: op2(0x93),
  mul: op2(0x94),
  ceil: op1(0x8d),
  floor: op1(0x8e),
  fromI32: op1(0xb2)
}

const simd = (opcode: number): number[] => [0xfd, ...uleb(opcode)]
const s1 = (opcode: number) => (a: Code): Code => [...a, ...simd(opcode)]
const s2 = (opcode: number) => (a: Code, b: Code): Code => [...a, ...b, ...simd(opcode)]

/** v128 operations: f32x4 arithmetic, i32x4 integer ops, masks (all ones / all zeros per lane). */
export const v = {
  load: (addr: Code, offset = 0): Code => [...addr, ...simd(0x00), ...memarg(offset)],
  /** Load one f32 (or i32) and broadcast it to the four lanes. */
  load32Splat: (addr: Code, offset = 0): Code => [...addr, ...simd(0x09), ...memarg(offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [...addr, ...value, ...simd(0x0b), ...memarg(offset)],
  constF32: (lanes: readonly [number, number, number, number]): Code => [...simd(0x0c), ...lanes.flatMap(f32Bytes)],
  splatI32: s1(0x11),
  splatF32: s1(0x13),
  extractI32: (a: Code, lane: number): Code => [...a, ...simd(0x1b), lane],
  replaceI32: (a: Code, lane: number, x: Code): Code => [...a, ...x, ...simd(0x1c), lane],
  extractF32: (a: Code, lane: number): Code => [...a, ...simd(0x1f), lane],
  replaceF32: (a: Code, lane: number, x: Code): Code => [...a, ...x, ...simd(0x20), lane],
  gtI32: s2(0x3b),
  lt: s2(0x43),
  le: s2(0x45),
  ge: s2(0x46),
  and: s2(0x4e),
  /** a & ~b */
  andNot: s2(0x4f),
  /** Lanes of a where mask is set, else lanes of b. */
  select: (a: Code, b: Code, mask: Code): Code => [...a, ...b, ...mask, ...simd(0x52)],
  anyTrue: s1(0x53),
  shlI32: s2(0xab),
  subI32: s2(0xb1),
  neg: s1(0xe1),
  add: s2(0xe4),
  sub: s2(0xe5),
  mul: s2(0xe6),
  div: s2(0xe7),
  /** Pseudo-minimum b < a ? b : a (one instruction on x64; equals min without NaNs). */
  pmin: s2(0xea),
  /** Pseudo-maximum a < b ? b : a. */
  pmax: s2(0xeb),
  fromI32: s1(0xfa)
}

export interface WasmFunction {
  readonly name: string
  readonly params: ReadonlyArray<ValType>
  readonly results: ReadonlyArray<ValType>
  readonly locals: ReadonlyArray<ValType>
  readonly body: Code
}

/** Declare a function: `build` receives its parameters and a maker of fresh locals. */
export const wasmFunction = <const P extends ReadonlyArray<ValType>>(
  name: string,
  params: P,
  results: ReadonlyArray<ValType>,
  build: (args: { readonly [K in keyof P]: Local }, local: (type: ValType) => Local) => Code
): WasmFunction => {
  const locals: ValType[] = []
  const args = params.map((_, index) => ({ index })) as unknown as { readonly [K in keyof P]: Local }
  const local = (type: ValType): Local => {
    locals.push(type)
    return { index: params.length + locals.length - 1 }
  }
  const body = build(args, local)
  return { name, params, results, locals, body }
}

/** Fresh locals of one type, by name. */
export const named = <K extends string>(local: (type: ValType) => Local, type: ValType, names: ReadonlyArray<K>): Record<K, Local> =>
  Object.fromEntries(names.map((name) => [name, local(type)])) as Record<K, Local>

const vector = (items: ReadonlyArray<number[]>): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content]
const utf8 = (s: string): number[] => vector(Array.from(new TextEncoder().encode(s), (b) => [b]))

/** Local declarations, run-length grouped by type. */
const localDecls = (types: ReadonlyArray<ValType>): number[] => {
  const groups: number[][] = []
  let k = 0
  while (k < types.length) {
    let n = 1
    while (k + n < types.length && types[k + n] === types[k]) n++
    groups.push([...uleb(n), types[k] as number])
    k += n
  }
  return vector(groups)
}

/** A module importing a shared memory (pages of 64 KiB) and exporting every function by name; function i has index i. */
export const wasmModule = (functions: ReadonlyArray<WasmFunction>, memoryPages: { readonly min: number; readonly max: number }): Uint8Array => {
  const types = vector(functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]))
  const imports = vector([[...utf8("env"), ...utf8("memory"), 0x02, 0x03, ...uleb(memoryPages.min), ...uleb(memoryPages.max)]])
  const declared = vector(functions.map((_, i) => uleb(i)))
  const exports = vector(functions.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))
  const bodies = vector(
    functions.map((f) => {
      const content = [...localDecls(f.locals), ...f.body, 0x0b]
      return [...uleb(content.length), ...content]
    })
  )
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section(1, types), ...section(2, imports), ...section(3, declared), ...section(7, exports), ...section(10, bodies)])
}
