/**
 * One configuration and stage of `npm run bench -- memory`, in its own process so that peaks do
 * not mix (the WebAssembly heap only grows; maxRSS is the process's): builds the stage's graph at
 * the given sizes on a synthetic recording, trains `steps` steps on the wasm backend, and prints one
 * JSON line (MemoryFigures) last. Argument: a MemoryCase as JSON.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { join } from "node:path"
import { openBody } from "../src/body/openBody.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import type { Stage1Config } from "../src/graphs/avatar/config.ts"
import { renderCamera, stage1Losses, stage1Rates } from "../src/graphs/avatar/config.ts"
import { avatarSetup } from "../src/graphs/avatar/setup.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { stage2 } from "../src/graphs/avatar/stage2.ts"
import { createRng } from "../src/math/rng.ts"
import { builtinOps, registryOf } from "../src/ops/registry.ts"
import { activate } from "../src/runtime/backend.ts"
import { compile } from "../src/runtime/execute.ts"
import { wasmHeapBytes } from "../src/runtime/memory.ts"
import type { NodeBytes } from "../src/runtime/memoryReport.ts"
import { createAdam } from "../src/runtime/optimizer.ts"
import { createParams } from "../src/runtime/params.ts"
import { trainStep } from "../src/runtime/step.ts"
import { testTarget } from "../src/testing/backends.ts"
import type { MemoryCase, MemoryFigures } from "./memoryCases.ts"
import { memoryDataDir } from "./memoryCases.ts"
import { watchWasmBytes } from "./memoryTrack.ts"

/** tfjs's memory().numBytes (every tensor object, views included) and its peak. */
const watchNumBytes = () => {
  const state = (tf.engine() as unknown as { state: { numBytes: number } }).state
  let current = state.numBytes
  let peak = current
  Object.defineProperty(state, "numBytes", { configurable: true, get: () => current, set: (v: number) => ((current = v), (peak = Math.max(peak, v))) })
  return { peak: () => peak }
}

const maxRss = (): number => process.resourceUsage().maxRSS * 1024

const measure = async (c: MemoryCase): Promise<MemoryFigures> => {
  await Effect.runPromise(activate("wasm"))
  const live = watchWasmBytes()
  const body = openBody()
  const data = await Effect.runPromise(readGaussianAvatar(join(memoryDataDir(c.imageSize), "train")))
  const first = await Effect.runPromise(data.sample(0))
  const betas = Float64Array.from(first.tensors["betas"]?.data ?? [])
  const camera = renderCamera(first.tensors["intrinsic"]?.data ?? [], c.imageSize, c.imageSize)
  const setup = avatarSetup(body, betas, c.sizes.querySize, c.sizes.featureSize)
  const config: Stage1Config = { dims: setup.dims, sizes: c.sizes, camera, losses: stage1Losses, rates: stage1Rates(1) }
  const graph = c.stage === 1 ? stage1(config) : stage2({ ...config, stage1Iterations: 0 })
  const compiled = await Effect.runPromise(compile(graph, registryOf(builtinOps), testTarget("wasm")))
  const store = await Effect.runPromise(createParams(graph, data, createRng(0), setup.constants))
  const adam = createAdam(store)
  const samples = await Promise.all(Array.from({ length: c.batch }, (_, i) => Effect.runPromise(data.sample(i % data.size))))
  const numBytes = watchNumBytes()
  const before = { rss: process.memoryUsage().rss, heap: wasmHeapBytes(), live: live.live() }
  let saved: ReadonlyArray<NodeBytes> = []
  const stepMs: number[] = []
  const stepCpuMs: number[] = []
  let error: string | undefined
  for (let step = 0; step < c.steps && error === undefined; step++) {
    const [t0, cpu0] = [performance.now(), process.cpuUsage()]
    const result = await Effect.runPromise(Effect.either(trainStep(compiled, store, adam, samples, { epoch: 1, iteration: 10 + step }, { onSaved: (s) => (saved = s) })))
    stepMs.push(performance.now() - t0)
    const cpu = process.cpuUsage(cpu0)
    stepCpuMs.push((cpu.user + cpu.system) / 1000)
    if (result._tag === "Left") error = result.left.message
  }
  const moments = [...adam.dense.entries()].map(([name, m]) => ({ node: `Adam moments of ${name}`, bytes: (m.m.size + m.v.size) * 4 }))
  const paramBytes = [...store.dense.values()].reduce((s, p) => s + p.variable.size * 4, 0)
  return {
    ...c,
    gaussians: setup.dims.N,
    pixels: c.imageSize * c.imageSize,
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    beforeRssBytes: before.rss,
    beforeHeapBytes: before.heap,
    peakRssBytes: maxRss(),
    heapBytes: wasmHeapBytes(),
    livePeakBytes: live.peak(),
    numBytesPeak: numBytes.peak(),
    paramBytes,
    adamBytes: moments.reduce((s, m) => s + m.bytes, 0),
    savedBytes: saved.reduce((s, n) => s + n.bytes, 0),
    top: [...saved, ...moments].sort((a, b) => b.bytes - a.bytes).slice(0, 10),
    stepMs,
    stepCpuMs
  }
}

const input = JSON.parse(process.argv[2] ?? "{}") as MemoryCase
console.log(JSON.stringify(await measure(input)))
process.exit(0)
