/**
 * Stage 1 of the avatar on the synthetic dataset (a step towards the demo of issue 6, not the demo):
 * makes the dataset if --data is absent, trains graphs.stage1 at the quick sizes, and writes
 * renders of a few training frames beside their targets.
 *
 *   npx tsx examples/avatar-stage1.ts [--data DIR] [--out DIR] [--epochs N]
 */
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { avatarSetup } from "../src/avatar/setup.ts"
import { openBody } from "../src/body/openBody.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import { quickSizes, renderCamera, stage1Losses, stage1Rates } from "../src/graphs/avatar/config.ts"
import { stage1 } from "../src/graphs/avatar/stage1.ts"
import { predictPromise, runPromise } from "../src/runtime/index.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"
import { createCanvas } from "../src/viz/canvas.ts"
import { writePng } from "../src/viz/png.ts"

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

/** Target | render for a few frames, side by side. */
const frames = [0, Math.floor(dataset.size / 4), Math.floor(dataset.size / 2)]
const sheet = createCanvas(2 * (width as number), frames.length * (height as number))
for (const [row, index] of frames.entries()) {
  const sample = await Effect.runPromise(dataset.sample(index))
  const render = (await predictPromise(graph, state, sample, { progress: "silent" }))["image"]
  for (const [column, image] of [sample.tensors["image"]?.data, render?.data].entries())
    for (let p = 0; p < (width as number) * (height as number); p++) {
      const x = column * (width as number) + (p % (width as number))
      const y = row * (height as number) + Math.floor(p / (width as number))
      const rgb = [0, 1, 2].map((c) => Math.round(255 * Math.min(1, Math.max(0, (image?.[3 * p + c] as number) ?? 1))))
      sheet.pixels.set([...rgb, 255], 4 * (y * sheet.width + x))
    }
}
writePng(join(values.out, "renders.png"), sheet)
console.log(`wrote ${join(values.out, "renders.png")} (target | render)`)
