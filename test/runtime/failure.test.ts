/**
 * A kernel that throws during a training step fails the step with a typed error naming the node
 * that was running: OutOfMemory for a WebAssembly abort or out-of-bounds access (forward or
 * backward pass), StepFailed for anything else; never NonFinite.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { curveData } from "../../examples/curveData.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import type { OpDef, ResolvedOpDef } from "../../src/ops/contract.ts"
import { defineOpDef } from "../../src/ops/contract.ts"
import { activationSpec } from "../../src/ops/activation/spec.ts"
import { builtinOps, registryOf } from "../../src/ops/registry.ts"
import { compile } from "../../src/runtime/execute.ts"
import { createAdam, disposeAdam } from "../../src/runtime/optimizer.ts"
import { createParams, disposeParams } from "../../src/runtime/params.ts"
import { createRng } from "../../src/math/rng.ts"
import { trainStep } from "../../src/runtime/step.ts"
import { testTarget, useBackend } from "../../src/testing/backends.ts"

const outOfBounds = () => new WebAssembly.RuntimeError("memory access out of bounds")
const aborted = () => new WebAssembly.RuntimeError("Aborted(). Build with -sASSERTIONS for more info.")

/** activation whose forward throws `fail()`. */
const failingForward = (fail: () => Error): ResolvedOpDef<typeof activationSpec> => defineOpDef({ spec: activationSpec, kernel: { _tag: "Autodiff", forward: () => { throw fail() } } })

/** activation (identity) whose gradient throws `fail()`. */
const failingBackward = (fail: () => Error): ResolvedOpDef<typeof activationSpec> =>
  defineOpDef({
    spec: activationSpec,
    kernel: {
      _tag: "Autodiff",
      forward: ({ x }) => {
        const same = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({ value: tf.clone(args[0] as tf.Tensor), gradFunc: () => { throw fail() } })) as (t: tf.Tensor) => tf.Tensor
        return { out: same(x) }
      }
    }
  })

const stepWith = async (activation: OpDef, backend: "cpu" | "wasm") => {
  const ops = { ...builtinOps, activation }
  const compiled = await Effect.runPromise(compile(curveFit, registryOf(ops), testTarget(backend)))
  const { dataset } = curveData(2, 8)
  const store = await Effect.runPromise(createParams(curveFit, dataset, createRng(0)))
  const adam = createAdam(store)
  const before = tf.memory().numTensors
  const sample = await Effect.runPromise(dataset.sample(0))
  const result = await Effect.runPromise(Effect.either(trainStep(compiled, store, adam, [sample], { epoch: 0, iteration: 3 })))
  const leaked = tf.memory().numTensors - before
  disposeAdam(adam)
  disposeParams(store)
  if (result._tag === "Right") throw new Error("the step should have failed")
  return { error: result.left, leaked }
}

describe("a kernel that throws during a step", () => {
  it("out of bounds in the forward pass: OutOfMemory naming the node", async () => {
    assert.ok((await useBackend("wasm")).ok)
    const { error, leaked } = await stepWith(failingForward(outOfBounds), "wasm")
    assert.equal(error._tag, "OutOfMemory")
    assert.match(error.message, /^out of memory at step 3 in node "act1" \(forward pass\) with a WebAssembly heap of [\d.]+ GiB: RuntimeError: memory access out of bounds/)
    assert.equal(leaked, 0)
  })

  it("an abort in the backward pass: OutOfMemory naming the node and its kernel", async () => {
    assert.ok((await useBackend("wasm")).ok)
    const { error, leaked } = await stepWith(failingBackward(aborted), "wasm")
    assert.equal(error._tag, "OutOfMemory")
    assert.match(error.message, /in node "act2" \(backward pass, gradient of kernel .*\).*Aborted\(\)/)
    assert.equal(leaked, 0)
  })

  it("any other error: StepFailed naming the node, not NonFinite", async () => {
    assert.ok((await useBackend("cpu")).ok)
    const { error } = await stepWith(failingForward(() => new Error("kernel said no")), "cpu")
    assert.equal(error._tag, "StepFailed")
    assert.equal(error.message, 'step 3 failed in node "act1" (forward pass): Error: kernel said no')
  })
})
