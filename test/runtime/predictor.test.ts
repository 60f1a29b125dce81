/** predictor: the graph's fixed part (no input, no per-frame param) evaluated once, the rest per sample, same values as a full evaluation. */
import * as tf from "@tensorflow/tfjs"
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { hostTensor } from "../../src/data/dataset.ts"
import { defineGraph, group, input, loss, node, out, param, paramSpec, zeros } from "../../src/dsl/index.ts"
import { port } from "../../src/dsl/shape.ts"
import { specs } from "../../src/ops/specs.ts"
import { perSampleNodes, predictor } from "../../src/runtime/predict.ts"
import type { TrainedState } from "../../src/runtime/state.ts"
import { runWith } from "./helpers.ts"

const graph = defineGraph({
  name: "fixedAndVarying",
  inputs: { x: port([2, 1]) },
  params: { table: paramSpec([2, 1], zeros), shift: paramSpec([1], zeros, { perFrame: true }) },
  groups: { default: group(0.1) },
  nodes: {
    doubled: node(specs.add, { a: param("table"), b: param("table") }, {}),
    withInput: node(specs.add, { a: out("doubled"), b: input("x") }, {}),
    shifted: node(specs.addBias, { x: out("withInput"), bias: param("shift") }, {}),
    reg: node(specs.meanSquare, { x: out("shifted") }, {})
  },
  losses: { reg: loss(out("reg")) },
  outputs: { doubled: out("doubled"), shifted: out("shifted") }
})

const state: TrainedState = {
  graph,
  step: 0,
  epoch: 0,
  params: { table: hostTensor([2, 1], Float32Array.of(1, 2)) },
  frameParams: { shift: hostTensor([3, 1], Float32Array.of(10, 20, 30)) },
  constants: {},
  history: []
}

const sample = (index: number, x: [number, number]) => ({ index, tensors: { x: hostTensor([2, 1], Float32Array.from(x)) } })

describe("predictor", () => {
  it("classifies the nodes that depend on an input or a per-frame param", () => {
    const order = ["doubled", "withInput", "shifted"]
    assert.deepEqual([...perSampleNodes(graph, order, new Set(["shift"]))], ["withInput", "shifted"])
    assert.deepEqual([...perSampleNodes(graph, ["doubled"], new Set(["shift"]))], [])
  })

  it("gives each sample's values (per-frame rows clamped) and frees every tensor with its scope", async () => {
    const before = tf.memory().numTensors
    const result = await runWith(
      "wasm",
      Effect.scoped(
        Effect.gen(function* () {
          const p = yield* predictor(graph, state)
          return yield* Effect.forEach([sample(0, [0, 0]), sample(1, [5, 6]), sample(7, [1, 1])], (s) => p.run(s))
        })
      )
    )
    assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left))
    const values = result.right.map((r) => ({ doubled: Array.from(r["doubled"]?.data ?? []), shifted: Array.from(r["shifted"]?.data ?? []) }))
    assert.deepEqual(values, [
      { doubled: [2, 4], shifted: [12, 14] },
      { doubled: [2, 4], shifted: [27, 30] },
      { doubled: [2, 4], shifted: [33, 35] }
    ])
    assert.equal(tf.memory().numTensors, before, "no tensor outlives the predictor's scope")
  })

  it("an unknown output is a GraphError", async () => {
    const result = await runWith("wasm", Effect.scoped(predictor(graph, state, ["nothing"])))
    assert.ok(Either.isLeft(result) && result.left._tag === "GraphError")
    assert.match(result.left.message, /output "nothing"/)
  })
})
