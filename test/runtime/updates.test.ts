/** Running statistics: a BatchNorm's frozen running mean/var follow the data through the graph's `updates`. */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { hostTensor, inMemory } from "../../src/data/dataset.ts"
import { constantInit, defineGraph, group, input, loss, node, out, param, paramSpec, typecheck, update, zeros } from "../../src/dsl/index.ts"
import { port } from "../../src/dsl/shape.ts"
import { specs } from "../../src/ops/specs.ts"
import { predict } from "../../src/runtime/predict.ts"
import { run } from "../../src/runtime/run.ts"
import { runWith } from "./helpers.ts"

const normalised = (momentum: number, frozen = true) =>
  defineGraph({
    name: "normalised",
    inputs: { x: port([8, 2]) },
    params: {
      mean: paramSpec([2], zeros, { frozen }),
      variance: paramSpec([2], constantInit(1), { frozen: true }),
      scale: paramSpec([2], constantInit(1)),
      shift: paramSpec([2], zeros)
    },
    groups: { default: group(1e-3) },
    nodes: {
      bn: node(specs.batchNorm, { x: input("x"), runningMean: param("mean"), runningVar: param("variance"), scale: param("scale"), shift: param("shift") }, { eps: 1e-5 }),
      reg: node(specs.meanSquare, { x: out("bn") }, {})
    },
    losses: { reg: loss(out("reg")) },
    outputs: { y: out("bn") },
    updates: { mean: update(out("bn", "batchMean"), momentum), variance: update(out("bn", "batchVar"), momentum) }
  })

// Every frame: column 0 is 3 + noise, column 1 is -1 + 2 * noise.
const frames = Array.from({ length: 4 }, (_, f) => {
  const data = new Float32Array(16)
  for (let i = 0; i < 8; i++) {
    const noise = Math.sin(7 * i + f)
    data[2 * i] = 3 + noise
    data[2 * i + 1] = -1 + 2 * noise
  }
  return { x: hostTensor([8, 2], data) }
})

describe("state updates (running statistics)", () => {
  it("move the running mean and variance towards the data's, and evaluation uses them", async () => {
    const result = await runWith("wasm", run(normalised(0.2), inMemory("columns", frames), { epochs: 10 }))
    assert.ok(Either.isRight(result))
    const [m0, m1] = Array.from(result.right.params["mean"]?.data ?? [])
    assert.ok(Math.abs((m0 as number) - 3) < 0.2 && Math.abs((m1 as number) + 1) < 0.3, `running mean ${m0}, ${m1}`)
    const [v0, v1] = Array.from(result.right.params["variance"]?.data ?? [])
    assert.ok((v1 as number) > 2.5 * (v0 as number), `running variances ${v0}, ${v1}: column 1 has 4x the spread`)
    const outputs = await runWith("wasm", predict(normalised(0.2), result.right, { index: 0, tensors: frames[0] as { x: ReturnType<typeof hostTensor> } }))
    assert.ok(Either.isRight(outputs))
    const y = outputs.right["y"]?.data ?? new Float32Array()
    const meanOf = (k: number) => Array.from({ length: 8 }, (_, i) => y[2 * i + k] as number).reduce((a, b) => a + b, 0) / 8
    assert.ok(Math.abs(meanOf(0)) < 0.3 && Math.abs(meanOf(1)) < 0.3, "evaluation normalises with the running statistics")
  })

  it("typecheck rejects an update of a trainable param and a momentum outside (0, 1]", () => {
    const trainable = Effect.runSync(Effect.either(typecheck(normalised(0.1, false))))
    assert.ok(Either.isLeft(trainable))
    assert.match(trainable.left.message, /update of param "mean": only frozen, dense params/)
    const badMomentum = Effect.runSync(Effect.either(typecheck(normalised(1.5))))
    assert.ok(Either.isLeft(badMomentum))
    assert.match(badMomentum.left.message, /momentum 1.5/)
  })
})
