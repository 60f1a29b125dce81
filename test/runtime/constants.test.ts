/**
 * Given params: constants handed to run() (float and int32), frozen, not checkpointed, kept for predict.
 * Per-frame Given params take their rows from constants [frames, ...row], may be trained, and are checkpointed.
 */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { hostTensor, inMemory } from "../../src/data/dataset.ts"
import { constantParam, defineGraph, given, group, input, loss, node, out, param, paramSpec, typecheck, zeros } from "../../src/dsl/index.ts"
import { port } from "../../src/dsl/shape.ts"
import { specs } from "../../src/ops/specs.ts"
import { predict } from "../../src/runtime/predict.ts"
import { run } from "../../src/runtime/run.ts"
import { runWith, tempDir } from "./helpers.ts"

// Learn a table of 4 values; each frame observes the rows that a constant index list picks, plus a constant offset.
const picked = defineGraph({
  name: "picked",
  inputs: { y: port([3, 1]) },
  params: {
    table: paramSpec([4, 1], zeros),
    rows: constantParam([3], "rows", "int32"),
    offset: constantParam([1], "offset")
  },
  groups: { default: group(0.05) },
  nodes: {
    pick: node(specs.gatherRows, { table: param("table"), indices: param("rows") }, {}),
    shifted: node(specs.addBias, { x: out("pick"), bias: param("offset") }, {}),
    error: node(specs.mse, { prediction: out("shifted"), target: input("y") }, {})
  },
  losses: { mse: loss(out("error")) },
  outputs: { shifted: out("shifted") }
})

const constants = { rows: hostTensor([3], Int32Array.of(3, 1, 3)), offset: hostTensor([1], Float32Array.of(10)) }
const frames = [{ y: hostTensor([3, 1], Float32Array.of(14, 12, 14)) }]

describe("constants (Given params)", () => {
  it("are used as given, never trained, and travel with the trained state to predict", async () => {
    const dir = tempDir("constants")
    const result = await runWith("wasm", run(picked, inMemory("picks", frames), { epochs: 300, constants, checkpointDir: dir }))
    assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left))
    const table = Array.from(result.right.params["table"]?.data ?? [])
    assert.ok(Math.abs((table[3] as number) - 4) < 0.05 && Math.abs((table[1] as number) - 2) < 0.05, `table ${table}`)
    assert.equal(table[0], 0, "row 0 is never picked")
    assert.equal(result.right.params["offset"], undefined, "constants are not params of the state")
    const resumed = await runWith("wasm", run(picked, inMemory("picks", frames), { epochs: 300, constants, checkpointDir: dir }))
    assert.ok(Either.isRight(resumed) && resumed.right.step === 300, "a finished run resumes from its checkpoint without its constants stored in it")
    const outputs = await runWith("wasm", predict(picked, result.right, { index: 0, tensors: {} }))
    assert.ok(Either.isRight(outputs))
    assert.deepEqual(Array.from(outputs.right["shifted"]?.data ?? []).map((v) => Math.round(v)), [14, 12, 14])
  })

  it("a missing or misshapen constant is a DatasetError naming it", async () => {
    const missing = await runWith("wasm", run(picked, inMemory("picks", frames), { epochs: 1, constants: { rows: constants.rows } }))
    assert.ok(Either.isLeft(missing) && missing.left._tag === "DatasetError")
    assert.match(missing.left.message, /constants\.offset: missing: param "offset"/)
    const wrong = await runWith("wasm", run(picked, inMemory("picks", frames), { epochs: 1, constants: { ...constants, rows: hostTensor([2], Int32Array.of(0, 1)) } }))
    assert.ok(Either.isLeft(wrong))
    assert.match(wrong.left.message, /constants\.rows: has shape \[2\], param "rows" needs \[3\]/)
  })

  it("a per-frame Given param starts from its constant rows, is trained from there and checkpointed", async () => {
    const offsets = defineGraph({
      name: "offsets",
      inputs: { y: port([1]) },
      params: { start: paramSpec([1], given("starts"), { perFrame: true }) },
      groups: { default: group(0.05) },
      nodes: { error: node(specs.mse, { prediction: param("start"), target: input("y") }, {}) },
      losses: { mse: loss(out("error")) },
      outputs: {}
    })
    const data = inMemory("targets", [{ y: hostTensor([1], Float32Array.of(1)) }, { y: hostTensor([1], Float32Array.of(-2)) }])
    const starts = { starts: hostTensor([2, 1], Float32Array.of(0.9, -2.5)) }
    const dir = tempDir("frame-constants")
    const first = await runWith("wasm", run(offsets, data, { epochs: 1, shuffle: false, constants: starts, checkpointDir: dir }))
    assert.ok(Either.isRight(first), String(Either.isLeft(first) && first.left))
    const [a, b] = Array.from(first.right.frameParams["start"]?.data ?? [])
    // One Adam step of rate 0.05 from each start, towards its target.
    assert.ok(Math.abs((a as number) - 0.95) < 1e-4 && Math.abs((b as number) + 2.45) < 1e-4, `rows ${a}, ${b}`)
    const resumed = await runWith("wasm", run(offsets, data, { epochs: 40, shuffle: false, constants: starts, checkpointDir: dir }))
    assert.ok(Either.isRight(resumed))
    const rows = Array.from(resumed.right.frameParams["start"]?.data ?? [])
    assert.ok(Math.abs((rows[0] as number) - 1) < 0.1 && Math.abs((rows[1] as number) + 2) < 0.1, `rows ${rows}`)
    const missing = await runWith("wasm", run(offsets, data, { epochs: 1 }))
    assert.ok(Either.isLeft(missing))
    assert.match(missing.left.message, /constants\.starts: missing: per-frame param "start" needs it \(shape \[2, 1\]\)/)
  })

  it("typecheck insists that constants are frozen and int32 params are constants", () => {
    const trainable = defineGraph({ ...picked, params: { ...picked.params, offset: { ...constantParam([1], "offset"), frozen: false } } })
    const result = Effect.runSync(Effect.either(typecheck(trainable)))
    assert.ok(Either.isLeft(result))
    assert.match(result.left.message, /must be frozen/)
  })
})
