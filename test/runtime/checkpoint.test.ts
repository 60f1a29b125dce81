import { Effect, Either, Option } from "effect"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import type { ArrayEntry, Checkpoint } from "../../src/runtime/checkpoint.ts"
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint } from "../../src/runtime/checkpoint.ts"
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

  it("are written atomically: no temp file remains and the old file is replaced whole", async () => {
    const dir = tempDir("ckpt")
    const file = join(dir, "sub", "checkpoint.gvck")
    const sample = fc.sample(arbCheckpoint, { numRuns: 2, seed: 1 })
    for (const c of sample) await Effect.runPromise(writeCheckpoint(file, c))
    assert.deepEqual(readdirSync(join(dir, "sub")), ["checkpoint.gvck"])
    const read = await Effect.runPromise(readCheckpoint(file))
    assert.ok(Option.isSome(read))
    assert.deepEqual(read.value.header, sample[1]?.header)
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
