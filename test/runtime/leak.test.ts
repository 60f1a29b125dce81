/**
 * The runtime leaks no tensor: the count after N training steps equals the
 * count after the first (N = 1000 on cpu and wasm; 100 on webgpu, which runs
 * on a slow software Vulkan driver here).
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { curveData } from "../../examples/curveData.ts"
import { constant, setGroup } from "../../src/dsl/index.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { builtinOps, registryOf } from "../../src/ops/registry.ts"
import type { BackendName } from "../../src/runtime/backend.ts"
import { compile } from "../../src/runtime/execute.ts"
import { createAdam, disposeAdam } from "../../src/runtime/optimizer.ts"
import { createParams, disposeParams } from "../../src/runtime/params.ts"
import { createRng } from "../../src/math/rng.ts"
import { trainStep } from "../../src/runtime/step.ts"
import { isRequired, testBackends, useBackend } from "../../src/testing/backends.ts"

const steps: Record<BackendName, number> = { cpu: 1000, wasm: 1000, webgpu: 100 }

describe("tensor leaks", () => {
  for (const backend of testBackends) {
    it(`${backend}: flat tensor count over ${steps[backend]} steps, per-frame params included`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) {
        if (isRequired(backend)) throw new Error(ready.reason)
        return t.skip(ready.reason)
      }
      const graph = setGroup(curveFit, "frames", { lr: constant(1e-2) })
      const { dataset } = curveData(4, 16)
      const compiled = await Effect.runPromise(compile(graph, registryOf(builtinOps), ready.target))
      const store = await Effect.runPromise(createParams(graph, dataset, createRng(0)))
      const adam = createAdam(store)
      const samples = await Promise.all([0, 1, 2, 3].map((i) => Effect.runPromise(dataset.sample(i))))
      const step = (i: number) =>
        Effect.runPromise(trainStep(compiled, store, adam, [samples[i % 4], samples[(i + 1) % 4]].filter((s) => s !== undefined), { epoch: 0, iteration: i }))
      await step(0)
      const afterFirst = tf.memory().numTensors
      for (let i = 1; i < steps[backend]; i++) await step(i)
      assert.equal(tf.memory().numTensors, afterFirst)
      disposeAdam(adam)
      disposeParams(store)
    })
  }
})
