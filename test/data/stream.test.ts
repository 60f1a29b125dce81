import { Chunk, Effect, Stream } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { batches, frames, hostTensor, inMemory } from "../../src/data/dataset.ts"

const dataset = inMemory("five", Array.from({ length: 5 }, (_, i) => ({ value: hostTensor([1], Float32Array.of(i)) })))

describe("datasets as streams", () => {
  it("stream every frame in order with its index", async () => {
    const all = Chunk.toReadonlyArray(await Effect.runPromise(Stream.runCollect(frames(dataset))))
    assert.deepEqual(all.map((s) => s.index), [0, 1, 2, 3, 4])
  })

  it("group frames into batches, the last one shorter", async () => {
    const groups = Chunk.toReadonlyArray(await Effect.runPromise(Stream.runCollect(batches(dataset, 2))))
    assert.deepEqual(groups.map((g) => g.map((s) => s.index)), [[0, 1], [2, 3], [4]])
  })
})
