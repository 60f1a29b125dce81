import { Effect, Either, Option } from "effect"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import type { ArrayEntry, Checkpoint } from "../../src/runtime/checkpoint.ts"
import { decodeCheckpoint, encodeCheckpoint } from "../../src/runtime/checkpoint.ts"
import { readCheckpoint, readLatestCheckpoint, writeCheckpoint } from "../../src/runtime/checkpointFiles.ts"
import { crc32 } from "../../src/io/crc32.ts"
import { tempDir } from "./helpers.ts"

const arbEntry = fc.record({ key: fc.string({ minLength: 1, maxLength: 12 }), int: fc.boolean(), values: fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 }) }).map(
  ({ key, int, values }): ArrayEntry => ({
    key,
    dtype: int ? "int32" : "float32",
    shape: [values.length],
    data: int ? Int32Array.from(values) : Float32Array.from(values, (v) => v / 7)
  })
)

const arbCheckpoint = fc.record({
  step: fc.nat(),
  epoch: fc.nat(),
  rngState: fc.nat({ max: 2 ** 32 - 1 }),
  entries: fc.uniqueArray(arbEntry, { selector: (e) => e.key, maxLength: 5 })
}).map(
  ({ step, epoch, rngState, entries }): Checkpoint => ({
    header: { graph: "g", step, epoch, seed: 3, rngState, adamSteps: { a: step }, history: [{ step: 0, total: 1.5 }] },
    arrays: new Map(entries.map((e) => [e.key, e]))
  })
)

describe("checkpoints", () => {
  it("round-trip exactly through encode and decode", () => {
    fc.assert(
      fc.property(arbCheckpoint, (checkpoint) => {
        const decoded = Effect.runSync(decodeCheckpoint("memory", encodeCheckpoint(checkpoint)))
        assert.deepEqual(decoded.header, checkpoint.header)
        assert.deepEqual([...decoded.arrays.keys()], [...checkpoint.arrays.keys()])
        for (const [key, entry] of checkpoint.arrays) assert.deepEqual(decoded.arrays.get(key)?.data, entry.data)
      })
    )
  })

  it("are written atomically: no temp file remains, the old file is replaced whole and kept as the previous one", async () => {
    const dir = tempDir("ckpt")
    const file = join(dir, "sub", "checkpoint.gvck")
    const sample = fc.sample(arbCheckpoint, { numRuns: 3, seed: 1 })
    for (const c of sample) await Effect.runPromise(writeCheckpoint(file, c))
    assert.deepEqual(readdirSync(join(dir, "sub")).sort(), ["checkpoint.gvck", "checkpoint.previous.gvck"])
    const read = await Effect.runPromise(readCheckpoint(file))
    assert.ok(Option.isSome(read))
    assert.deepEqual(read.value.header, sample[2]?.header)
    const previous = await Effect.runPromise(readCheckpoint(join(dir, "sub", "checkpoint.previous.gvck")))
    assert.ok(Option.isSome(previous))
    assert.deepEqual(previous.value.header, sample[1]?.header)
  })

  it("a missing checkpoint is None; a damaged one is a CheckpointError naming the file", async () => {
    const dir = tempDir("ckpt-bad")
    assert.ok(Option.isNone(await Effect.runPromise(readCheckpoint(join(dir, "none.gvck")))))
    const file = join(dir, "checkpoint.gvck")
    const entry: ArrayEntry = { key: "param/w", dtype: "float32", shape: [64], data: new Float32Array(64) }
    await Effect.runPromise(writeCheckpoint(file, { header: { graph: "g", step: 1, epoch: 0, seed: 0, rngState: 0, adamSteps: {}, history: [] }, arrays: new Map([[entry.key, entry]]) }))
    const bytes = readFileSync(file)
    writeFileSync(file, bytes.subarray(0, bytes.length - 20))
    const truncated = await Effect.runPromise(Effect.either(readCheckpoint(file)))
    assert.ok(Either.isLeft(truncated) && truncated.left._tag === "CheckpointError")
    assert.match(truncated.left.message, /checkpoint\.gvck: array "param\/w" runs past the end/)
    writeFileSync(file, "not a checkpoint")
    const garbage = await Effect.runPromise(Effect.either(readCheckpoint(file)))
    assert.ok(Either.isLeft(garbage))
    assert.match(garbage.left.message, /bad magic/)
  })
})

/** The checkpoint's header JSON rewritten by `edit`, with a correct header checksum (so only the schema can object). */
const rewriteHeader = (bytes: Buffer, edit: (header: Record<string, unknown>) => void): Buffer => {
  const magic = 14
  const length = bytes.readUInt32LE(magic)
  const header = JSON.parse(bytes.toString("utf8", magic + 8, magic + 8 + length)) as Record<string, unknown>
  edit(header)
  const text = Buffer.from(JSON.stringify(header), "utf8")
  const start = (magic + 8 + length + 3) & ~3
  const head = Buffer.alloc((magic + 8 + text.length + 3) & ~3)
  bytes.copy(head, 0, 0, magic)
  head.writeUInt32LE(text.length, magic)
  head.writeUInt32LE(crc32(text), magic + 4)
  text.copy(head, magic + 8)
  return Buffer.concat([head, bytes.subarray(start)])
}

const small = (step: number): Checkpoint => {
  const entry: ArrayEntry = { key: "param/w", dtype: "float32", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }
  return { header: { graph: "g", step, epoch: 0, seed: 0, rngState: 7, adamSteps: { w: step }, history: [{ step: 0, total: 1 }] }, arrays: new Map([[entry.key, entry]]) }
}

const decodeError = (bytes: Buffer): string => {
  const result = Effect.runSync(Effect.either(decodeCheckpoint("c.gvck", bytes)))
  assert.ok(Either.isLeft(result), "decoded although damaged")
  return result.left.message
}

describe("checkpoints are not trusted blindly", () => {
  it("a header edited by hand (the \"step\" key renamed) fails its checksum", () => {
    const bytes = encodeCheckpoint(small(5))
    const edited = Buffer.from(bytes.toString("latin1").replace('"step"', '"stap"'), "latin1")
    assert.match(decodeError(edited), /^checkpoint c\.gvck: header fails its CRC-32 check \(damaged\)$/)
  })

  it("a header with a good checksum is checked by its schema: no step, a step of -100, an array longer than its shape", () => {
    const bytes = encodeCheckpoint(small(5))
    assert.match(decodeError(rewriteHeader(bytes, (h) => { h["stap"] = h["step"]; delete h["step"] })), /bad header: "step": is missing/)
    assert.match(decodeError(rewriteHeader(bytes, (h) => { h["step"] = -100 })), /bad header: "step": .*-100/)
    assert.match(decodeError(rewriteHeader(bytes, (h) => { (h["arrays"] as Array<{ shape: number[] }>)[0]!.shape = [2, 4] })), /array "param\/w" has 6 values but shape \[2, 4\]/)
  })

  it("a flipped bit in a tensor fails that tensor's checksum", () => {
    const bytes = encodeCheckpoint(small(5))
    bytes[bytes.length - 3]! ^= 0x10
    assert.match(decodeError(bytes), /array "param\/w" fails its CRC-32 check \(damaged\)/)
  })

  it("the previous checkpoint is used when the latest is damaged or missing; none good is one error naming the latest", async () => {
    const dir = tempDir("ckpt-fallback")
    const file = join(dir, "checkpoint.gvck")
    await Effect.runPromise(writeCheckpoint(file, small(4)))
    await Effect.runPromise(writeCheckpoint(file, small(8)))
    const latest = await Effect.runPromise(readLatestCheckpoint(dir))
    assert.ok(Option.isSome(latest) && latest.value.file === file && latest.value.checkpoint.header.step === 8 && latest.value.refused === undefined)
    const bytes = readFileSync(file)
    writeFileSync(file, bytes.subarray(0, bytes.length - 4))
    const fallback = await Effect.runPromise(readLatestCheckpoint(dir))
    assert.ok(Option.isSome(fallback))
    assert.equal(fallback.value.file, join(dir, "checkpoint.previous.gvck"))
    assert.equal(fallback.value.checkpoint.header.step, 4)
    assert.match(fallback.value.refused?.message ?? "", /checkpoint\.gvck: array "param\/w" runs past the end of the file/)
    writeFileSync(join(dir, "checkpoint.previous.gvck"), "garbage")
    const none = await Effect.runPromise(Effect.either(readLatestCheckpoint(dir)))
    assert.ok(Either.isLeft(none))
    assert.match(none.left.message, /^checkpoint .*checkpoint\.gvck: array "param\/w" runs past the end .*; the previous one is unusable too \(not a gavatar checkpoint \(bad magic\)\)$/)
  })
})
