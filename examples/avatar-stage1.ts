/**
 * Stage 1 of the avatar on the synthetic dataset (a step towards the demo of issue 6, not the demo):
 * makes the dataset if --data is absent, trains graphs.stage1 at the quick sizes, then scores novel
 * views and novel poses through graphs.render: metrics.json, and ground truth | render | error images.
 *
 *   npx tsx examples/avatar-stage1.ts [--data DIR] [--out DIR] [--epochs N]
 */
import { Effect, Layer } from "effect"
import { existsSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { avatarSetup } from "../src/graphs/avatar/setup.ts"
import { openBody } from "../src/body/openBody.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import { quickSizes, renderCamera, stage1Losses, stage1Rates } from "../src/graphs/avatar/config.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import type { Evaluation } from "../src/avatar/evaluate.ts"
import { evaluateSplit } from "../src/avatar/evaluate.ts"
import { render } from "../src/graphs/avatar/render.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import { runPromise, WasmBackend } from "../src/runtime/index.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"

const { values } = parseArgs({ options: { data: { type: "string", default: "out/synth" }, out: { type: "string", default: "out/avatar-stage1" }, epochs: { type: "string", default: "5" } } })
const body = openBody()
if (!existsSync(join(values.data, "train"))) await Effect.runPromise(writeSynthetic(values.data, synthesize(body, DEFAULT_OPTIONS)))
const dataset = await Effect.runPromise(readGaussianAvatar(join(values.data, "train")))
const first = await Effect.runPromise(dataset.sample(0))
const [height, width] = first.tensors["image"]?.shape ?? [0, 0]
const setup = avatarSetup(body, Float64Array.from(first.tensors["betas"]?.data ?? []), quickSizes.querySize, 128)
const graph = stage1({ dims: setup.dims, sizes: quickSizes, camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], width as number, height as number), losses: stage1Losses, rates: stage1Rates(1) })
console.log(`stage 1: ${setup.dims.N} Gaussians, ${dataset.size} frames of ${width}x${height}`)
const state = await runPromise(graph, dataset, { epochs: Number(values.epochs), constants: setup.constants, checkpointDir: join(values.out, "checkpoint"), progress: "log" })

/** Novel views (test/) and novel poses (novel_pose/) through graphs.render, as the original protocol scores them. */
const renderGraph = render({ dims: setup.dims, sizes: quickSizes, camera: renderCamera(first.tensors["intrinsic"]?.data ?? [], width as number, height as number), losses: stage1Losses, rates: stage1Rates(1) })
const scores: Record<string, Evaluation["mean"]> = {}
for (const split of ["test", "novel_pose"]) {
  const data = await Effect.runPromise(readGaussianAvatar(join(values.data, split)))
  const evaluation = await Effect.runPromise(evaluateSplit(renderGraph, state, data, join(values.out, split)).pipe(Effect.provide(Layer.mergeAll(WasmBackend, BuiltinOps))))
  scores[split] = evaluation.mean
  console.log(`${split}: ${data.size} frames, PSNR ${evaluation.mean.psnr.toFixed(2)} dB, SSIM ${evaluation.mean.ssim.toFixed(4)} -> ${join(values.out, split)}/`)
}
writeFileSync(join(values.out, "metrics.json"), JSON.stringify({ novelView: scores["test"], novelPose: scores["novel_pose"], steps: state.step }, null, 2))
