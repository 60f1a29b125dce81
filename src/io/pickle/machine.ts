/**
 * A pickle virtual machine (protocols 0 to 5) that never runs Python code: globals
 * resolve through a handler table (handlers.ts) and fall back to inspectable
 * PyGlobal / PyObject placeholders. Bad or unsupported input throws IoError (via `fail`).
 * Hostile input stays bounded: every length is checked against the bytes left before it moves
 * the reader (so the reader only moves forward), and the machine's work (opcodes, items copied,
 * memo rewrites, arrays allocated by handlers) is paid from a WorkBudget fixed by the file size.
 */
import type { WorkBudget } from "../budget.ts"
import { fail } from "../errors.ts"
import { latin1Decode } from "../latin1.ts"
import type { ClassHandlers } from "./handlers.ts"
import { PyGlobal, PyObject } from "./values.ts"

export interface PickleOptions {
  readonly handlers: ClassHandlers
  /** Pays for the work; shared with the handlers that allocate. */
  readonly budget: WorkBudget
  /** Resolves persistent ids (PERSID / BINPERSID); torch uses them for tensor storages. */
  readonly persistentLoad?: (pid: unknown) => unknown
}

/** True ISO-8859-1 (one char per byte); TextDecoder's "latin1" is windows-1252 and remaps 0x80-0x9f. */
const latin1 = { decode: latin1Decode }
const utf8 = new TextDecoder("utf-8")

class Reader {
  pos = 0
  private readonly view: DataView
  constructor(readonly bytes: Uint8Array, readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  /** A length read from the file: a whole number no larger than the bytes left. */
  need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) fail(this.file, `pickle has a bad length ${n} at byte ${this.pos} (damaged or hostile)`)
    if (this.pos + n > this.bytes.length) fail(this.file, `pickle truncated at byte ${this.pos} (needs ${n} more bytes, ${this.bytes.length - this.pos} left)`)
  }
  u8(): number { this.need(1); return this.bytes[this.pos++] as number }
  u16(): number { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v }
  i32(): number { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v }
  u64(): number { this.need(8); const v = Number(this.view.getBigUint64(this.pos, true)); this.pos += 8; return v }
  f64be(): number { this.need(8); const v = this.view.getFloat64(this.pos, false); this.pos += 8; return v }
  take(n: number): Uint8Array { this.need(n); const v = this.bytes.slice(this.pos, this.pos + n); this.pos += n; return v }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos)
    if (end < 0) fail(this.file, `pickle truncated in a text line at byte ${this.pos}`)
    const s = latin1.decode(this.bytes.subarray(this.pos, end))
    this.pos = end + 1
    return s
  }
}

/** Little-endian two's complement integer of any length (LONG1 / LONG4), in time linear in its length. */
const decodeLong = (b: Uint8Array): number | bigint => {
  if (b.length === 0) return 0
  let hex = ""
  for (let i = b.length - 1; i >= 0; i--) hex += (b[i] as number).toString(16).padStart(2, "0")
  let v = BigInt(`0x${hex}`)
  if (((b[b.length - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * b.length)
  return narrowInt(v)
}

/** INT / LONG text: an optional sign and decimal digits. */
const decimal = (text: string, file: string): bigint =>
  /^[+-]?\d+$/.test(text) ? BigInt(text) : fail(file, `pickle has a bad integer literal ${JSON.stringify(text.slice(0, 40))}`)

const narrowInt = (v: bigint): number | bigint =>
  v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v

/** Python 2 repr-quoted string of protocol 0 STRING, e.g. 'abc\x00\n'. */
const unquote = (text: string, file: string): string => {
  const q = text[0]
  if ((q !== "'" && q !== '"') || text[text.length - 1] !== q) fail(file, `bad STRING literal ${text.slice(0, 40)}`)
  const body = text.slice(1, -1)
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v" }
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) =>
    e[0] === "x" ? String.fromCharCode(parseInt(e.slice(1), 16)) : /^[0-7]+$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (simple[e] ?? `\\${e}`))
}

/** Protocol 0 UNICODE: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes). */
const rawUnicodeEscape = (bytes: string): string =>
  bytes.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u?: string, U?: string) => String.fromCodePoint(parseInt((u ?? U) as string, 16)))

export const unpickle = (bytes: Uint8Array, file: string, options: PickleOptions): unknown => new Machine(bytes, file, options).run()

class Machine {
  private readonly r: Reader
  private stack: Array<unknown> = []
  private readonly marks: Array<Array<unknown>> = []
  private readonly memo = new Map<number, unknown>()

  constructor(bytes: Uint8Array, private readonly file: string, private readonly options: PickleOptions) {
    this.r = new Reader(bytes, file)
  }

  run(): unknown {
    for (;;) {
      const at = this.r.pos
      const op = this.r.u8()
      this.options.budget.spend(1, "pickle")
      if (op === 0x2e) return this.pop() // STOP '.'
      this.step(op, at)
    }
  }

  private push(v: unknown): void { this.stack.push(v) }
  private pop(): unknown {
    if (this.stack.length === 0) fail(this.file, `pickle stack underflow at byte ${this.r.pos}`)
    return this.stack.pop()
  }
  private top(): unknown {
    if (this.stack.length === 0) fail(this.file, `pickle stack underflow at byte ${this.r.pos}`)
    return this.stack[this.stack.length - 1]
  }
  private popMark(): Array<unknown> {
    const items = this.stack
    const outer = this.marks.pop()
    if (outer === undefined) fail(this.file, `pickle has no MARK at byte ${this.r.pos}`)
    this.stack = outer as Array<unknown>
    return items
  }
  private get(index: number): unknown {
    if (!this.memo.has(index)) fail(this.file, `pickle memo has no entry ${index}`)
    return this.memo.get(index)
  }

  /** callable(*args): a handler's call, or a placeholder instance. */
  private call(callable: unknown, args: ReadonlyArray<unknown>): unknown {
    if (!(callable instanceof PyGlobal)) fail(this.file, `pickle calls a non-global (${typeof callable})`)
    const g = callable as PyGlobal
    const handler = this.options.handlers.get(g.qualifiedName)
    return handler?.call ? handler.call(args, g) : new PyObject(g, args)
  }

  /**
   * obj.__setstate__(state): a handler's build (whose result replaces obj everywhere), or kept on the placeholder.
   * State given to a built-in container (e.g. a torch state dict's `_metadata`) is dropped.
   */
  private build(state: unknown): void {
    const obj = this.pop()
    let result = obj
    if (obj instanceof PyObject) {
      const handler = this.options.handlers.get(obj.cls.qualifiedName)
      if (handler?.build) result = handler.build(obj, state)
      else obj.state = state
    }
    if (result !== obj) {
      this.options.budget.spend(this.memo.size, "pickle BUILD")
      for (const [k, v] of this.memo) if (v === obj) this.memo.set(k, result)
    }
    this.push(result)
  }

  private setItems(target: unknown, pairs: ReadonlyArray<unknown>): void {
    const dict = target instanceof Map ? target : target instanceof PyObject ? target.dictItems : fail(this.file, "pickle SETITEM(S) on a non-dict")
    this.options.budget.spend(pairs.length, "pickle SETITEMS")
    for (let i = 0; i + 1 < pairs.length; i += 2) (dict as Map<unknown, unknown>).set(pairs[i], pairs[i + 1])
  }

  /** One item at a time: spreading 300k items into push() would overflow the stack. */
  private appendItems(target: unknown, items: ReadonlyArray<unknown>): void {
    this.options.budget.spend(items.length, "pickle APPENDS")
    const list = Array.isArray(target) ? target : target instanceof PyObject ? target.listItems : undefined
    if (list !== undefined) for (const item of items) list.push(item)
    else if (target instanceof Set) for (const item of items) target.add(item)
    else fail(this.file, "pickle APPEND(S) on a non-list")
  }

  /** Call arguments: a tuple (an array). */
  private args(): Array<unknown> {
    const args = this.pop()
    return Array.isArray(args) ? args : fail(this.file, `pickle call arguments are ${typeof args}, not a tuple, at byte ${this.r.pos}`)
  }

  private step(op: number, at: number): void {
    const r = this.r
    switch (op) {
      case 0x80: r.u8(); return // PROTO
      case 0x95: r.need(r.u64()); return // FRAME (its length must fit; frames are contiguous)
      case 0x28: this.marks.push(this.stack); this.stack = []; return // MARK
      case 0x30: this.pop(); return // POP
      case 0x31: this.popMark(); return // POP_MARK
      case 0x32: this.push(this.top()); return // DUP
      case 0x4e: this.push(null); return // NONE
      case 0x88: this.push(true); return // NEWTRUE
      case 0x89: this.push(false); return // NEWFALSE
      case 0x49: { // INT
        const s = r.line()
        this.push(s === "01" ? true : s === "00" ? false : narrowInt(decimal(s, this.file)))
        return
      }
      case 0x4a: this.push(r.i32()); return // BININT
      case 0x4b: this.push(r.u8()); return // BININT1
      case 0x4d: this.push(r.u16()); return // BININT2
      case 0x4c: this.push(narrowInt(decimal(r.line().replace(/L$/, ""), this.file))); return // LONG
      case 0x8a: this.push(decodeLong(r.take(r.u8()))); return // LONG1
      case 0x8b: this.push(decodeLong(r.take(r.i32()))); return // LONG4
      case 0x46: this.push(parseFloat(r.line())); return // FLOAT
      case 0x47: this.push(r.f64be()); return // BINFLOAT
      case 0x53: this.push(unquote(r.line(), this.file)); return // STRING
      case 0x54: this.push(latin1.decode(r.take(r.i32()))); return // BINSTRING
      case 0x55: this.push(latin1.decode(r.take(r.u8()))); return // SHORT_BINSTRING
      case 0x56: this.push(rawUnicodeEscape(r.line())); return // UNICODE
      case 0x58: this.push(utf8.decode(r.take(r.u32()))); return // BINUNICODE
      case 0x8c: this.push(utf8.decode(r.take(r.u8()))); return // SHORT_BINUNICODE
      case 0x8d: this.push(utf8.decode(r.take(r.u64()))); return // BINUNICODE8
      case 0x42: this.push(r.take(r.u32())); return // BINBYTES
      case 0x43: this.push(r.take(r.u8())); return // SHORT_BINBYTES
      case 0x8e: case 0x96: this.push(r.take(r.u64())); return // BINBYTES8, BYTEARRAY8
      case 0x29: this.push([]); return // EMPTY_TUPLE
      case 0x5d: this.push([]); return // EMPTY_LIST
      case 0x7d: this.push(new Map()); return // EMPTY_DICT
      case 0x8f: this.push(new Set()); return // EMPTY_SET
      case 0x74: case 0x6c: this.push(this.popMark()); return // TUPLE, LIST
      case 0x85: this.push([this.pop()]); return // TUPLE1
      case 0x86: { const b = this.pop(); const a = this.pop(); this.push([a, b]); return } // TUPLE2
      case 0x87: { const c = this.pop(); const b = this.pop(); const a = this.pop(); this.push([a, b, c]); return } // TUPLE3
      case 0x91: { const items = this.popMark(); this.options.budget.spend(items.length, "pickle FROZENSET"); this.push(new Set(items)); return } // FROZENSET
      case 0x64: { const d = new Map(); this.setItems(d, this.popMark()); this.push(d); return } // DICT
      case 0x61: { const v = this.pop(); this.appendItems(this.top(), [v]); return } // APPEND
      case 0x65: case 0x90: { const items = this.popMark(); this.appendItems(this.top(), items); return } // APPENDS, ADDITEMS
      case 0x73: { const v = this.pop(); const k = this.pop(); this.setItems(this.top(), [k, v]); return } // SETITEM
      case 0x75: { const items = this.popMark(); this.setItems(this.top(), items); return } // SETITEMS
      case 0x67: this.push(this.get(Number(r.line()))); return // GET
      case 0x68: this.push(this.get(r.u8())); return // BINGET
      case 0x6a: this.push(this.get(r.u32())); return // LONG_BINGET
      case 0x70: this.memo.set(Number(r.line()), this.top()); return // PUT
      case 0x71: this.memo.set(r.u8(), this.top()); return // BINPUT
      case 0x72: this.memo.set(r.u32(), this.top()); return // LONG_BINPUT
      case 0x94: this.memo.set(this.memo.size, this.top()); return // MEMOIZE
      case 0x63: { const module = r.line(); this.push(new PyGlobal(module, r.line())); return } // GLOBAL
      case 0x93: { const name = this.pop(); const module = this.pop(); this.push(new PyGlobal(String(module), String(name))); return } // STACK_GLOBAL
      case 0x52: { const args = this.args(); const f = this.pop(); this.push(this.call(f, args)); return } // REDUCE
      case 0x62: this.build(this.pop()); return // BUILD
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
        const args = this.args()
        const cls = this.pop()
        this.push(this.newObject(cls, args))
        return
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = this.pop()
        const args = this.args()
        if (!(kwargs instanceof Map)) fail(this.file, "pickle NEWOBJ_EX with keyword arguments that are not a dict")
        const cls = this.pop()
        this.push(cls instanceof PyGlobal ? new PyObject(cls, args, kwargs as Map<unknown, unknown>) : fail(this.file, "pickle NEWOBJ_EX on a non-class"))
        return
      }
      case 0x69: { // INST module\nname\n, args from MARK
        const module = r.line()
        const name = r.line()
        this.push(this.newObject(new PyGlobal(module, name), this.popMark()))
        return
      }
      case 0x6f: { const [cls, ...args] = this.popMark(); this.push(this.newObject(cls, args)); return } // OBJ
      case 0x50: this.push(this.persistent(r.line())); return // PERSID
      case 0x51: this.push(this.persistent(this.pop())); return // BINPERSID
      default:
        fail(this.file, `unsupported pickle opcode 0x${op.toString(16)} at byte ${at}`)
    }
  }

  private newObject(cls: unknown, args: ReadonlyArray<unknown>): unknown {
    if (!(cls instanceof PyGlobal)) fail(this.file, "pickle instantiates a non-class")
    const g = cls as PyGlobal
    const handler = this.options.handlers.get(g.qualifiedName)
    return handler?.construct ? handler.construct(args, g) : new PyObject(g, args)
  }

  private persistent(pid: unknown): unknown {
    if (this.options.persistentLoad === undefined) fail(this.file, "pickle uses persistent ids but no loader for them was given")
    return (this.options.persistentLoad as (pid: unknown) => unknown)(pid)
  }
}
