/**
 * npm run bench -- step [--json]
 * Milliseconds per training step of graphs.curveFit (batch 2, 64 points) on
 * each CPU backend, and the wasm MatMul-gradient fix: a [512x256]·[256x256]
 * matMul's forward+backward with tfjs's stock gradient vs ours.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { curveData } from "../examples/curveData.ts"
import { curveFit } from "../src/graphs/curveFit.ts"
import { builtinOps, registryOf } from "../src/ops/registry.ts"
import type { BackendName } from "../src/runtime/backend.ts"
import { activate } from "../src/runtime/backend.ts"
import { compile } from "../src/runtime/execute.ts"
import { createAdam, disposeAdam } from "../src/runtime/optimizer.ts"
import { createParams, disposeParams } from "../src/runtime/params.ts"
import { createRng } from "../src/math/rng.ts"
import { trainStep } from "../src/runtime/step.ts"
import { testTarget } from "../src/testing/backends.ts"
import type { BenchArgs } from "./main.ts"

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const stepMs = async (backend: BackendName, steps: number): Promise<number> => {
  await Effect.runPromise(activate(backend))
  const { dataset } = curveData(4, 64)
  const compiled = await Effect.runPromise(compile(curveFit, registryOf(builtinOps), testTarget(backend)))
  const store = await Effect.runPromise(createParams(curveFit, dataset, createRng(0)))
  const adam = createAdam(store)
  const samples = await Promise.all([0, 1, 2, 3].map((i) => Effect.runPromise(dataset.sample(i))))
  const times: number[] = []
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now()
    await Effect.runPromise(trainStep(compiled, store, adam, [samples[i % 4], samples[(i + 1) % 4]].filter((s) => s !== undefined), { epoch: 3, iteration: i }))
    times.push(performance.now() - t0)
  }
  disposeAdam(adam)
  disposeParams(store)
  return median(times.slice(3))
}

/** Forward + backward of one matMul on wasm, gradient via tf.grads (our override) or tfjs's stock transposed form. */
const matMulMs = async (stock: boolean): Promise<number> => {
  await Effect.runPromise(activate("wasm"))
  const a = tf.randomNormal([512, 256])
  const b = tf.randomNormal([256, 256])
  const once = async () => {
    const t0 = performance.now()
    const grads = tf.tidy(() => {
      if (!stock) return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b])
      const dy = tf.onesLike(tf.matMul(a, b))
      return [tf.matMul(dy, b, false, true), tf.matMul(a, dy, true, false)]
    })
    await Promise.all(grads.map((g) => g.data()))
    tf.dispose(grads)
    return performance.now() - t0
  }
  const times: number[] = []
  for (let i = 0; i < 7; i++) times.push(await once())
  tf.dispose([a, b])
  return median(times)
}

export const run = async ({ json }: BenchArgs): Promise<void> => {
  const figures: Record<string, number> = {}
  for (const backend of ["wasm", "cpu"] as const) {
    figures[`curveFitStepMs_${backend}`] = await stepMs(backend, 40)
    console.log(`curveFit training step (batch 2) on ${backend}: ${figures[`curveFitStepMs_${backend}`]?.toFixed(2)} ms`)
  }
  figures["matMulGradStockMs"] = await matMulMs(true)
  figures["matMulGradFixedMs"] = await matMulMs(false)
  console.log(`wasm matMul 512x256x256 gradient: stock transposed form ${figures["matMulGradStockMs"]?.toFixed(1)} ms, explicit transposes ${figures["matMulGradFixedMs"]?.toFixed(1)} ms`)
  if (json) console.log(JSON.stringify(figures))
}
