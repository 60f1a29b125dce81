import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { ndarray } from "../../src/io/ndarray.ts"
import { PyGlobal, PyObject, parsePickle } from "../../src/io/pickle.ts"
import { PickleWriter, pickleBytes } from "./pickle-writer.ts"

const run = <A, E>(e: Effect.Effect<A, E>): A => Effect.runSync(e)
const failure = <A, E>(e: Effect.Effect<A, E>): E => Effect.runSync(Effect.flip(e))
const bytes = (...parts: ReadonlyArray<number | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "number" ? [p] : Array.from(p, (c) => c.charCodeAt(0)))))

describe("pickle: plain values", () => {
  it("reads protocol 0 text opcodes", () => {
    // (lp0\nI1\naF2.5\naS'a\\x41\\n'\naI01\naL12345678901234567890L\naVcaf\\u00e9\na.
    const pkl = bytes("(lp0\nI1\naF2.5\naS'a\\x41\\n'\naI01\naL12345678901234567890L\naN", "aVcaf\\u00e9\na.")
    assert.deepEqual(run(parsePickle(pkl, "p0.pkl")), [1, 2.5, "aA\n", true, 12345678901234567890n, null, "café"])
  })

  it("reads binary opcodes of protocols 2 to 4: ints, floats, strings, bytes, tuples, dicts, sets, memo", () => {
    const w = new PickleWriter().op(0x80, 4).op(0x7d, 0x94, 0x28)
    w.op(0x8c, 1, ...bytes("a")).op(0x94).op(0x4a, 0xff, 0xff, 0xff, 0xff) // "a": -1
    w.op(0x8c, 1, ...bytes("b")).op(0x8a, 2, 0x00, 0x80) // "b": LONG1 -32768
    w.op(0x8c, 1, ...bytes("c")).float(-0.25).op(0x43, 2, 0, 255).op(0x86) // "c": (-0.25, b"\x00\xff")
    w.op(0x8c, 1, ...bytes("d")).op(0x8f, 0x28).int(3).int(4).op(0x90) // "d": {3, 4}
    w.op(0x8c, 1, ...bytes("e")).op(0x68, 1) // "e": memo 1 = "a" (memo 0 is the dict)
    w.op(0x75, 0x2e)
    const value = run(parsePickle(w.bytes(), "p4.pkl"))
    assert.deepEqual(value, new Map<string, unknown>([["a", -1], ["b", -32768], ["c", [-0.25, Uint8Array.from([0, 255])]], ["d", new Set([3, 4])], ["e", "a"]]))
  })

  it("builds OrderedDict from REDUCE and SETITEMS", () => {
    const w = new PickleWriter().op(0x80, 2).global("collections", "OrderedDict").op(0x29, 0x52, 0x28).str("k").int(7).op(0x75, 0x2e)
    assert.deepEqual(run(parsePickle(w.bytes(), "od.pkl")), new Map([["k", 7]]))
  })
})

describe("pickle: objects", () => {
  it("reconstructs numpy arrays as Python 2 writes them", () => {
    const a = ndarray([2, 3], Float64Array.from([1, 2, 3, 4, 5, 6]))
    const u = ndarray([1, 3], Uint32Array.from([0, 7, 4294967295]))
    const bytes = ndarray([5], Uint8Array.from([0x80, 0x9f, 0xa0, 0xff, 0])) // 0x80-0x9f differ between latin1 and windows-1252
    assert.deepEqual(run(parsePickle(pickleBytes([{ ndarray: a }, { ndarray: u }, { ndarray: bytes }]), "np.pkl")), [a, u, bytes])
  })

  it("makes scipy CSC matrices dense and chumpy Ch objects their array", () => {
    // [[0, 0.5, 0], [-2, 0, 1.5]] in CSC: columns 0: (1, -2), 1: (0, 0.5), 2: (1, 1.5)
    const csc = { rows: 2, cols: 3, data: Float64Array.from([-2, 0.5, 1.5]), indices: Int32Array.from([1, 0, 1]), indptr: Int32Array.from([0, 1, 2, 3]) }
    const x = ndarray([2, 2], Float64Array.from([1, 2, 3, 4]))
    const value = run(parsePickle(pickleBytes(new Map([["J", { csc }], ["ch", { chumpy: x }]])), "smpl.pkl")) as Map<string, unknown>
    assert.deepEqual(value.get("J"), ndarray([2, 3], Float64Array.from([0, 0.5, 0, -2, 0, 1.5])))
    assert.deepEqual(value.get("ch"), x)
  })

  it("keeps unknown classes as inspectable placeholders with their state", () => {
    const value = run(parsePickle(pickleBytes({ object: { module: "mylib.things", name: "Thing", state: new Map([["size", 3]]) } }), "u.pkl"))
    assert.ok(value instanceof PyObject)
    assert.equal(value.cls.qualifiedName, "mylib.things.Thing")
    assert.deepEqual(value.state, new Map([["size", 3]]))
    const reduced = run(parsePickle(new PickleWriter().op(0x80, 2).global("os", "system").str("ls").op(0x85, 0x52, 0x2e).bytes(), "r.pkl"))
    assert.ok(reduced instanceof PyObject)
    assert.deepEqual(reduced.args, ["ls"])
    assert.deepEqual(reduced.cls, new PyGlobal("os", "system"))
  })
})

describe("pickle: errors", () => {
  it("names the file on truncation, unknown opcodes and object arrays", () => {
    assert.match(failure(parsePickle(bytes(0x80, 2, 0x4a, 1), "t.pkl")).message, /^t\.pkl: pickle truncated/)
    assert.match(failure(parsePickle(bytes(0x80, 2, 0xff), "o.pkl")).message, /^o\.pkl: unsupported pickle opcode 0xff/)
    const objectArray = pickleBytes({ ndarray: ndarray([1], Float64Array.from([0])) })
    const text = Array.from(objectArray, (b) => String.fromCharCode(b)).join("").replace("U\x02f8", "U\x02O8")
    assert.match(failure(parsePickle(Uint8Array.from(text, (c) => c.charCodeAt(0)), "obj.pkl")).message, /^obj\.pkl: object arrays/)
    assert.match(failure(parsePickle(bytes(0x80, 2, 0x4e, 0x51, 0x2e), "p.pkl")).reason, /persistent ids/)
  })
})
