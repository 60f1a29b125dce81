import { Either } from "effect"
import assert from "node:assert/strict"
import { existsSync, readdirSync } from "node:fs"
import { describe, it } from "node:test"
import { curveData } from "../../examples/curveData.ts"
import { hostTensor, inMemory } from "../../src/data/dataset.ts"
import { constant, setGroup, setInput } from "../../src/dsl/index.ts"
import { port } from "../../src/dsl/shape.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { checkpointFile, run } from "../../src/runtime/run.ts"
import { runWith, tempDir } from "./helpers.ts"

const { dataset } = curveData(6, 32)

describe("run(graph, dataset)", () => {
  it("trains: the loss goes down on wasm", async () => {
    const result = await runWith("wasm", run(curveFit, dataset, { epochs: 20, batchSize: 2 }))
    assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left))
    const h = result.right.history
    assert.equal(h.length, 60)
    const first = (h[0]?.total ?? 0) + (h[1]?.total ?? 0) + (h[2]?.total ?? 0)
    const last = (h.at(-1)?.total ?? 0) + (h.at(-2)?.total ?? 0) + (h.at(-3)?.total ?? 0)
    assert.ok(last < first / 4, `loss ${first / 3} -> ${last / 3}`)
  })

  it("an interrupted and resumed run gives the same losses as an uninterrupted one", async () => {
    const options = { epochs: 4, batchSize: 2, seed: 7, checkpointEvery: 2 }
    const whole = await runWith("cpu", run(curveFit, dataset, options))
    const dir = tempDir("resume")
    const part = await runWith("cpu", run(curveFit, dataset, { ...options, checkpointDir: dir, maxSteps: 5 }))
    assert.ok(Either.isRight(part) && part.right.step === 5)
    const resumed = await runWith("cpu", run(curveFit, dataset, { ...options, checkpointDir: dir }))
    assert.ok(Either.isRight(whole) && Either.isRight(resumed))
    assert.deepEqual(
      resumed.right.history.map((h) => h.total),
      whole.right.history.map((h) => h.total)
    )
    assert.deepEqual(resumed.right.params["w2"]?.data, whole.right.params["w2"]?.data)
    assert.deepEqual(resumed.right.frameParams["offset"]?.data, whole.right.frameParams["offset"]?.data)
    assert.deepEqual(readdirSync(dir).sort(), ["checkpoint.gvck", "checkpoint.previous.gvck"], "no temp files left behind")
  })

  it("updates only the per-frame rows of the batch (sparse updates)", async () => {
    const eager = setGroup(curveFit, "frames", { lr: constant(0.1) })
    const result = await runWith("wasm", run(eager, dataset, { epochs: 1, batchSize: 2, shuffle: false, maxSteps: 1 }))
    assert.ok(Either.isRight(result))
    const offsets = Array.from(result.right.frameParams["offset"]?.data ?? [])
    assert.ok(offsets[0] !== 0 && offsets[1] !== 0, "rows of frames 0 and 1 moved")
    assert.deepEqual(offsets.slice(2), [0, 0, 0, 0], "other rows untouched")
  })

  it("stops on a non-finite loss, names the node and keeps the last good checkpoint", async () => {
    const points = 8
    const frames = Array.from({ length: 4 }, (_, f) => {
      const x = Float32Array.from({ length: points }, (_, i) => i / points)
      const y = x.map((v) => (f === 3 && v > 0.5 ? Number.NaN : v))
      return { x: hostTensor([points, 1], x), y: hostTensor([points, 1], y) }
    })
    const dir = tempDir("nan")
    const result = await runWith("wasm", run(curveFit, inMemory("nan-frames", frames), { epochs: 1, shuffle: false, checkpointDir: dir, checkpointEvery: 1 }))
    assert.ok(Either.isLeft(result))
    const error = result.left
    assert.equal(error._tag, "NonFinite")
    if (error._tag !== "NonFinite") return
    assert.equal(error.step, 3)
    assert.match(error.where, /node "error"/)
    assert.equal(error.checkpoint, checkpointFile(dir))
    assert.ok(existsSync(checkpointFile(dir)))
  })

  it("rejects a sample whose shape disagrees with the graph's input, naming it", async () => {
    const fixed = setInput(setInput(curveFit, "x", port([16, 1])), "y", port([16, 1]))
    const result = await runWith("wasm", run(fixed, dataset, { epochs: 1 }))
    assert.ok(Either.isLeft(result) && result.left._tag === "ShapeMismatch")
    assert.match(result.left.message, /input:x.*expected shape \[16, 1\], got \[32, 1\]/)
  })

  it("rejects a sample that lacks an input with a DatasetError naming the dataset", async () => {
    const frames = [{ x: hostTensor([2, 1], new Float32Array(2)) }]
    const result = await runWith("wasm", run(curveFit, inMemory("no-targets", frames), { epochs: 1 }))
    assert.ok(Either.isLeft(result) && result.left._tag === "DatasetError")
    assert.match(result.left.message, /no-targets: frame 0 has no field "y"/)
  })

  it("rejects bad options through the options schema", async () => {
    const result = await runWith("wasm", run(curveFit, dataset, { epochs: 0 }))
    assert.ok(Either.isLeft(result) && result.left._tag === "ParseError")
  })
})
