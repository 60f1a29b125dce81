/**
 * denseBlock's WebAssembly SIMD kernel (src/ops/denseBlock/wasm) equals its tfjs kernel on the wasm
 * backend at decoder-like sizes, one thread and two, training and evaluation; and the wasm target
 * selects it. (Its checks against the Float64 reference run in denseBlock.test.ts: checkOp resolves
 * the op for the wasm test target, which holds a SIMD runner.)
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import * as tf from "@tensorflow/tfjs"
import { resolveOp } from "../../src/ops/contract.ts"
import type { OpContext } from "../../src/ops/contract.ts"
import { denseBlock } from "../../src/ops/denseBlock/denseBlock.ts"
import { denseBlockTf } from "../../src/ops/denseBlock/denseBlockTf.ts"
import { denseBlockWasm } from "../../src/ops/denseBlock/wasm/denseBlockWasm.ts"
import type { DenseRunner } from "../../src/ops/denseBlock/wasm/runner.ts"
import { singleThreadDenseRunner, startDenseThreads } from "../../src/ops/denseBlock/wasm/runner.ts"
import { testTarget, useBackend } from "../../src/testing/backends.ts"
import { seededUniform } from "../../src/testing/f64.ts"
import { tolerances, within } from "../../src/testing/tolerances.ts"

const next = seededUniform(5)
const uniform = (shape: number[], lo: number, hi: number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + ((next() + 1) / 2) * (hi - lo)), shape)

const layerInputs = (n: number, k: number, o: number) => ({
  x: uniform([n, k], -2, 2),
  weight: uniform([k, o], -0.5, 0.5),
  bias: uniform([o], -0.5, 0.5),
  runningMean: uniform([o], 0, 1),
  runningVar: uniform([o], 0.2, 2),
  scale: uniform([o], 0.5, 2),
  shift: uniform([o], -1, 1)
})

const tol = tolerances.denseBlockSimd.wasm

const assertClose = (name: string, actual: tf.Tensor, expected: tf.Tensor): void => {
  assert.deepEqual(actual.shape, expected.shape, name)
  const a = actual.dataSync()
  const e = expected.dataSync()
  const scale = Math.max(1e-6, ...Array.from(e, Math.abs))
  for (let i = 0; i < e.length; i++) assert.ok(within(a[i] as number, e[i] as number, tol.forward, scale), `${name}[${i}]: ${a[i]} vs ${e[i]} (scale ${scale})`)
}

const compare = (runner: DenseRunner, n: number, k: number, o: number, mode: OpContext["mode"]): void => {
  const inputs = layerInputs(n, k, o)
  const ctx: OpContext = { mode, epoch: 0, iteration: 0 }
  const attrs = { eps: 1e-5 }
  const simd = denseBlockWasm(runner)
  const expected = denseBlockTf.forward(inputs, attrs, ctx)
  const actual = simd.forward(inputs, attrs, ctx)
  for (const name of ["out", "batchMean", "batchVar"] as const) assertClose(name, actual.outputs[name], expected.outputs[name])
  const grads = { out: uniform([n, o], -1, 1), batchMean: uniform([o], -1, 1), batchVar: uniform([o], -1, 1) }
  const vExpected = denseBlockTf.backward({ inputs, saved: expected.saved, grads, attrs })
  const vActual = simd.backward({ inputs, saved: actual.saved, grads, attrs })
  for (const name of ["vX", "vWeight", "vBias", "vScale", "vShift"] as const) assertClose(name, vActual[name] as tf.Tensor, vExpected[name] as tf.Tensor)
}

// Sizes: odd widths (padding, remainder tiles), and the quick decoder's first and joined layers.
const sizes: ReadonlyArray<readonly [number, number, number]> = [
  [7, 3, 5],
  [1001, 34, 64],
  [1203, 98, 64]
]

const backend = await useBackend("wasm")
const skip = backend.ok ? false : `wasm backend unavailable: ${backend.reason}`

describe("denseBlock's SIMD kernel", { skip }, () => {
  let two: DenseRunner | undefined
  before(async () => {
    two = await startDenseThreads()
  })
  after(async () => {
    await two?.close()
  })

  it("fails with a clear error once its worker has ended", async () => {
    const doomed = await startDenseThreads()
    await doomed.close()
    await new Promise((resolve) => setImmediate(resolve))
    assert.throws(() => compare(doomed, 1001, 34, 64, "train"), /denseBlock's worker thread exited/)
  })

  it("is the kernel the wasm target selects", () => {
    assert.equal(resolveOp(denseBlock, testTarget("wasm")).kernel === denseBlockTf, false)
    assert.equal(resolveOp(denseBlock, { backend: "wasm" }).kernel, denseBlockTf)
  })

  for (const mode of ["train", "eval"] as const)
    for (const [n, k, o] of sizes) {
      it(`equals the tfjs kernel, one thread, ${mode}, x [${n}, ${k}] -> ${o}`, () => compare(singleThreadDenseRunner(), n, k, o, mode))
      it(`equals the tfjs kernel, two threads, ${mode}, x [${n}, ${k}] -> ${o}`, () => compare(two as DenseRunner, n, k, o, mode))
    }
})
