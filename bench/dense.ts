/**
 * npm run bench -- dense [--json] [--rows 10834,43469] [--repeats 7]
 * One decoder layer (denseBlock, training mode) forward + backward on the wasm backend: its tfjs
 * kernel (denseBlockTf.ts) against its WebAssembly SIMD kernel (wasm/denseBlockWasm.ts) on one and
 * on two threads, at the quick decoder's widths (x [N, 98] -> 64, the layer after the skip, and
 * x [N, 64] -> 64, a hidden layer) for N = the valid texels of query maps 128 and 256. Median wall
 * and CPU milliseconds (CPU of all the process's threads) after two warm-up runs. No target of its
 * own: issue 12's targets are the whole step's (bench train); this shows where the layer's time went.
 */
import * as tf from "@tensorflow/tfjs"
import { parseArgs } from "node:util"
import type { CustomKernel, OpContext } from "../src/ops/contract.ts"
import type { DenseBlockSaved } from "../src/ops/denseBlock/denseBlockTf.ts"
import { denseBlockTf } from "../src/ops/denseBlock/denseBlockTf.ts"
import type { denseBlockSpec } from "../src/ops/denseBlock/spec.ts"
import { denseBlockWasm } from "../src/ops/denseBlock/wasm/denseBlockWasm.ts"
import { singleThreadDenseRunner, startDenseThreads } from "../src/ops/denseBlock/wasm/runner.ts"
import { useBackend } from "../src/testing/backends.ts"
import type { BenchArgs } from "./main.ts"
import type { Timing } from "./timing.ts"
import { timeRuns } from "./timing.ts"

type Kernel = CustomKernel<typeof denseBlockSpec, DenseBlockSaved>
const ctx: OpContext = { mode: "train", epoch: 0, iteration: 0 }

const layer = (n: number, k: number, o: number) => ({
  inputs: {
    x: tf.randomUniform([n, k], -1, 1),
    weight: tf.randomUniform([k, o], -0.3, 0.3),
    bias: tf.randomUniform([o], -0.1, 0.1),
    runningMean: tf.zeros([o]),
    runningVar: tf.ones([o]),
    scale: tf.ones([o]),
    shift: tf.zeros([o])
  },
  grads: { out: tf.randomUniform([n, o], -1, 1), batchMean: tf.zeros([o]), batchVar: tf.zeros([o]) }
})

const timeKernel = (kernel: Kernel, data: ReturnType<typeof layer>, repeats: number): Promise<Timing> =>
  timeRuns(
    async () => {
      const forward = kernel.forward(data.inputs, { eps: 1e-5 }, ctx)
      const grads = kernel.backward({ inputs: data.inputs, saved: forward.saved, grads: data.grads, attrs: { eps: 1e-5 } })
      tf.dispose([...Object.values(forward.outputs), ...(Object.values(grads) as tf.Tensor[])])
    },
    2,
    repeats
  )

export const run = async ({ json, rest }: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...rest], options: { rows: { type: "string", default: "10834,43469" }, repeats: { type: "string", default: "7" } }, strict: true })
  const ready = await useBackend("wasm")
  if (!ready.ok) throw new Error(`the wasm backend is unavailable: ${ready.reason}`)
  const two = await startDenseThreads()
  const kernels: ReadonlyArray<readonly [string, Kernel]> = [
    ["tfjs", denseBlockTf],
    ["simd, 1 thread", denseBlockWasm(singleThreadDenseRunner())],
    ["simd, 2 threads", denseBlockWasm(two)]
  ]
  const results = []
  for (const n of String(values.rows).split(",").map(Number))
    for (const [k, o] of [[98, 64], [64, 64]] as const) {
      const data = layer(n, k, o)
      for (const [name, kernel] of kernels) {
        const t = await timeKernel(kernel, data, Number(values.repeats))
        results.push({ rows: n, inChannels: k, outChannels: o, kernel: name, wallMs: t.wallMs, cpuMs: t.cpuMs })
        console.log(`x [${n}, ${k}] -> ${o}, ${name}: forward + backward ${t.wallMs.toFixed(1)} ms wall, ${t.cpuMs.toFixed(1)} ms CPU`)
      }
      tf.dispose([...Object.values(data.inputs), ...Object.values(data.grads)])
    }
  await two.close()
  if (json) console.log(JSON.stringify({ bench: "dense", results }))
}
