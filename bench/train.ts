/**
 * npm run bench -- train [--json] [--query 128,256] [--repeats 3] [--sizes quick|paper] [--no-torch] [--backend wasm|webgpu] [--network-threads 2|1]
 * Milliseconds per training step of graphs.stage1 and graphs.stage2 (batch 1, one synthetic
 * 512x512 frame, the quick network sizes or the original's) on the wasm backend (or --backend's) at each query map size: the whole
 * step (median of `repeats` steps after two warm-up steps), and beside it the forward + backward of
 * each part on the same inputs (trainParts.ts: network, body and LBS, rasteriser, losses), their
 * sum, and the rest of the step (upload, Adam, checks). The rasteriser runs on one thread, as in
 * training; on wasm the decoder's denseBlock SIMD kernels on `--network-threads` (default 2, as in training). Each figure is given in wall-clock milliseconds (the JSON's *Ms fields) and in the
 * process's CPU milliseconds (the JSON's cpuMs), which other processes on a shared machine disturb less.
 * Beside them: PyTorch's step of the same network on 1 and 2 threads (torchPeer.ts; skipped, with
 * the reason, without a python3 with torch) and the ratio of our network part to PyTorch's two-thread
 * step, and every figure's target of issue 12 (trainTargets.ts).
 */
import { Effect } from "effect"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { avatarSetup } from "../src/graphs/avatar/setup.ts"
import type { BodyModel } from "../src/body/model.ts"
import { openBody } from "../src/body/openBody.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import type { Dataset } from "../src/data/dataset.ts"
import type { AnyGraph } from "../src/dsl/graph.ts"
import type { Clock } from "../src/dsl/schedule.ts"
import type { AvatarSizes, Stage1Config } from "../src/graphs/avatar/config.ts"
import { paperSizes, quickSizes, renderCamera, stage1Losses, stage1Rates } from "../src/graphs/avatar/config.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { stage2 } from "../src/graphs/avatar/stage2.ts"
import { builtinOps, registryOf } from "../src/ops/registry.ts"
import { singleThreadDenseRunner, startDenseThreads } from "../src/ops/denseBlock/wasm/runner.ts"
import { activate, isBackendName } from "../src/runtime/backend.ts"
import { compile } from "../src/runtime/execute.ts"
import { createAdam, disposeAdam } from "../src/runtime/optimizer.ts"
import type { Constants } from "../src/runtime/params.ts"
import { createParams, disposeParams } from "../src/runtime/params.ts"
import { createRng } from "../src/math/rng.ts"
import { trainStep } from "../src/runtime/step.ts"
import { DEFAULT_OPTIONS } from "../src/synth/generate.ts"
import { testTarget } from "../src/testing/backends.ts"
import type { KernelTarget } from "../src/ops/contract.ts"
import type { BenchArgs } from "./main.ts"
import { ensureSynthetic } from "./synthData.ts"
import type { Timing } from "./timing.ts"
import { timeRuns } from "./timing.ts"
import { PARTS, timeParts } from "./trainParts.ts"
import type { Peer, PeerStep } from "./torchPeer.ts"
import { findTorch, torchSteps } from "./torchPeer.ts"
import { describeTargets } from "./trainTargets.ts"

const imageSize = 512
const warmUpSteps = 2
/**
 * Pose optimisation on (epoch 1 of stage1Rates(1)) and early in the scale warm-up: the untrained
 * decoder's scales are sigmoid(~0) = 0.5 m, times iteration / 1000 = 5 mm, the size of a trained
 * avatar's Gaussians (the rasteriser's work grows with the pixels each Gaussian covers). Stage 2
 * gets the same ramp (config stage1Iterations 0; without it stage 2 would draw 0.5 m Gaussians).
 */
const clock: Clock = { epoch: 1, iteration: 10 }

interface Result {
  readonly stage: 1 | 2
  readonly querySize: number
  readonly gaussians: number
  readonly stepMs: number
  readonly networkMs: number
  readonly bodyLbsMs: number
  readonly rasterMs: number
  readonly lossesMs: number
  readonly partsSumMs: number
  /** PyTorch's step of the same network (1 and 2 threads), or why there is none. */
  readonly torch: ReadonlyArray<PeerStep> | string
  /** The same figures in CPU milliseconds of this process (less disturbed by other processes). */
  readonly cpuMs: { readonly step: number; readonly network: number; readonly bodyLbs: number; readonly raster: number; readonly losses: number; readonly partsSum: number }
}

const ms = (x: number) => `${x.toFixed(0)} ms`

const describeResult = (r: Result, clock: "wall" | "CPU"): string => {
  const t = clock === "wall" ? { step: r.stepMs, network: r.networkMs, bodyLbs: r.bodyLbsMs, raster: r.rasterMs, losses: r.lossesMs, partsSum: r.partsSumMs } : r.cpuMs
  return `  ${clock}: step ${ms(t.step)} | network ${ms(t.network)}, body+LBS ${ms(t.bodyLbs)}, raster ${ms(t.raster)}, losses ${ms(t.losses)}; sum of parts ${ms(t.partsSum)}, rest of the step ${ms(t.step - t.partsSum)}`
}

interface Measurement {
  readonly stage: 1 | 2
  readonly sizes: AvatarSizes
  readonly gaussians: number
  readonly peer: Peer
  readonly target: KernelTarget
}

const measure = async (graph: AnyGraph, { stage, sizes, gaussians, peer, target }: Measurement, dataset: Dataset, constants: Constants, repeats: number): Promise<Result> => {
  const querySize = sizes.querySize
  const compiled = await Effect.runPromise(compile(graph, registryOf(builtinOps), target))
  const store = await Effect.runPromise(createParams(graph, dataset, createRng(0), constants))
  const adam = createAdam(store)
  try {
    const sample = await Effect.runPromise(dataset.sample(0))
    const step = await timeRuns((i) => Effect.runPromise(trainStep(compiled, store, adam, [sample], { ...clock, iteration: clock.iteration + i })).then(() => undefined), warmUpSteps, repeats)
    const parts = await timeParts(compiled, store, sample, clock, repeats)
    const sum = (key: keyof Timing) => PARTS.reduce((s, p) => s + parts[p][key], 0)
    const result: Result = {
      stage,
      querySize,
      gaussians,
      stepMs: step.wallMs,
      networkMs: parts.network.wallMs,
      bodyLbsMs: parts.bodyLbs.wallMs,
      rasterMs: parts.raster.wallMs,
      lossesMs: parts.losses.wallMs,
      partsSumMs: sum("wallMs"),
      torch: peer._tag === "Found" ? torchSteps(peer.python, stage, sizes, gaussians, [1, 2]) : peer.reason,
      cpuMs: { step: step.cpuMs, network: parts.network.cpuMs, bodyLbs: parts.bodyLbs.cpuMs, raster: parts.raster.cpuMs, losses: parts.losses.cpuMs, partsSum: sum("cpuMs") }
    }
    console.log(`stage ${stage}, query ${querySize} (${gaussians} Gaussians; nodes per part: ${PARTS.map((p) => `${p} ${parts.nodeCounts[p]}`).join(", ")})`)
    console.log(describeResult(result, "wall"))
    console.log(describeResult(result, "CPU"))
    for (const line of describeTargets(result, sizes)) console.log(`  ${line}`)
    return result
  } finally {
    disposeAdam(adam)
    disposeParams(store)
  }
}

/** One synthetic frame at imageSize (out/bench/train-512/, made on the first run). */
const loadData = async (body: BodyModel): Promise<Dataset> => {
  const dir = join("out", "bench", `train-${imageSize}`)
  await ensureSynthetic(dir, body, { ...DEFAULT_OPTIONS, frames: 1, size: imageSize, testFrames: 1, novelPoseFrames: 1 })
  return Effect.runPromise(readGaussianAvatar(join(dir, "train")))
}

export const run = async ({ json, rest }: BenchArgs): Promise<void> => {
  const { values } = parseArgs({
    args: [...rest],
    options: { query: { type: "string" }, repeats: { type: "string", default: "3" }, sizes: { type: "string", default: "quick" }, backend: { type: "string", default: "wasm" }, "no-torch": { type: "boolean", default: false }, "network-threads": { type: "string", default: "2" } },
    strict: true
  })
  const network = values.sizes === "paper" ? paperSizes : quickSizes
  const querySizes = String(values.query ?? (values.sizes === "paper" ? "512" : "128,256")).split(",").map(Number)
  const repeats = Number(values.repeats)
  const peer: Peer = values["no-torch"] ? { _tag: "Missing", reason: "--no-torch" } : findTorch()
  if (peer._tag === "Missing") console.log(`PyTorch rows skipped: ${peer.reason}`)
  const name = String(values.backend)
  if (!isBackendName(name)) throw new Error(`--backend must be wasm, cpu or webgpu, got "${name}"`)
  const backend = await Effect.runPromise(activate(name))
  const denseBlocks = name === "wasm" ? (values["network-threads"] === "1" ? singleThreadDenseRunner() : await startDenseThreads()) : undefined
  const target = denseBlocks ? { ...testTarget(name), denseBlocks } : testTarget(name)
  const body = openBody()
  const train = await loadData(body)
  const first = await Effect.runPromise(train.sample(0))
  const betas = Float64Array.from(first.tensors["betas"]?.data ?? [])
  const camera = renderCamera(first.tensors["intrinsic"]?.data ?? [], imageSize, imageSize)
  console.log(`train bench on ${backend.name} (${backend.detail}): ${imageSize}x${imageSize} frame, batch 1, feature tensor ${network.featureSize}, ${network.channels} channels, decoder width ${network.hidden}; median of ${repeats} after warm-up; wall-clock and CPU milliseconds`)
  const results: Result[] = []
  for (const querySize of querySizes) {
    const sizes = { ...network, querySize }
    const setup = avatarSetup(body, betas, querySize, sizes.featureSize)
    const config: Stage1Config = { dims: setup.dims, sizes, camera, losses: stage1Losses, rates: stage1Rates(1) }
    results.push(await measure(stage1(config), { stage: 1, sizes, gaussians: setup.dims.N, peer, target }, train, setup.constants, repeats))
    results.push(await measure(stage2({ ...config, stage1Iterations: 0 }), { stage: 2, sizes, gaussians: setup.dims.N, peer, target }, train, setup.constants, repeats))
  }
  await denseBlocks?.close()
  if (json) console.log(JSON.stringify({ backend: backend.name, networkThreads: denseBlocks?.threads, width: imageSize, height: imageSize, batch: 1, sizes: { featureSize: network.featureSize, channels: network.channels, hidden: network.hidden }, results }))
}
