/**
 * The two held-out PSNRs of `bench -- prepare`: stage 1 of the avatar (quick sizes, `epochs` epochs,
 * frames shrunk by `downscale`) trained on the prepared train split, and on the same frames with the
 * renderer's true images, masks, camera and body fits; each scored on its own held-out frames
 * rendered with their own fits (the prepared test split, or the true held-out frames).
 */
import { Effect, Layer } from "effect"
import { join } from "node:path"
import type { BodyModel } from "../src/body/model.ts"
import { evaluateSplit } from "../src/avatar/evaluate.ts"
import { readGaussianAvatar } from "../src/data/gaussian-avatar.ts"
import { writeGaussianAvatar } from "../src/data/write.ts"
import { avatarGraphs, definePreset, graphs, presets, subjectOf } from "../src/graphs/index.ts"
import { readPng } from "../src/io/png.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import { runPromise, WasmBackend } from "../src/runtime/index.ts"
import type { Camera } from "../src/synth/camera.ts"

export interface PsnrInput {
  readonly prepared: string
  readonly truth: { readonly camera: Camera; readonly masks: ReadonlyArray<Uint8Array>; readonly poses: Float64Array; readonly transl: Float64Array; readonly betas: Float64Array }
  readonly body: BodyModel
  readonly folder: string
  readonly epochs: number
  readonly downscale: number
  readonly kept: { readonly train: ReadonlyArray<{ readonly source: string }>; readonly test: ReadonlyArray<{ readonly source: string }> }
  readonly sourceIndex: (f: { readonly source: string }) => number
}

/** The true recording's frames `indices` as a GaussianAvatar split. */
const writeTrueSplit = async (input: PsnrInput, folder: string, indices: ReadonlyArray<number>) => {
  const frames = []
  for (const i of indices) {
    const image = await Effect.runPromise(readPng(join(input.folder, "frames", `${String(i).padStart(5, "0")}.png`)))
    const { width, height } = image
    frames.push({ image, mask: { width, height, channels: 1 as const, data: input.truth.masks[i]! } })
  }
  await Effect.runPromise(
    writeGaussianAvatar(folder, {
      frames,
      intrinsic: input.truth.camera.intrinsic,
      extrinsic: input.truth.camera.extrinsic,
      betas: Float32Array.from(input.truth.betas),
      poses: Float32Array.from(indices.flatMap((i) => Array.from(input.truth.poses.subarray(72 * i, 72 * i + 72)))),
      transl: Float32Array.from(indices.flatMap((i) => Array.from(input.truth.transl.subarray(3 * i, 3 * i + 3))))
    })
  )
}

const trainAndScore = async (input: PsnrInput, subjectFolder: string, name: string): Promise<number> => {
  const train = await Effect.runPromise(readGaussianAvatar(join(subjectFolder, "train"), { downscale: input.downscale }))
  const test = await Effect.runPromise(readGaussianAvatar(join(subjectFolder, "test"), { downscale: input.downscale }))
  const subject = await Effect.runPromise(subjectOf(train))
  const preset = definePreset({ ...presets.quick, name: "bench-prepare", epochs: { stage1: input.epochs, stage2: 1 } })
  const builder = graphs.stage1.with({ preset, body: input.body })
  console.log(`training stage 1 on ${name}: ${train.size} frames, ${input.epochs} epochs`)
  const state = await runPromise(builder, train, { progress: "log" })
  const render = avatarGraphs(builder.choices, subject).render
  const scored = await Effect.runPromise(evaluateSplit(render, state, test, join(input.folder, `eval-${name}`)).pipe(Effect.provide(Layer.mergeAll(WasmBackend, BuiltinOps))))
  return scored.mean.psnr
}

export const heldOutPsnr = async (input: PsnrInput): Promise<{ readonly prepared: number; readonly truth: number }> => {
  const trueFolder = join(input.folder, "true-subject")
  await writeTrueSplit(input, join(trueFolder, "train"), input.kept.train.map(input.sourceIndex))
  await writeTrueSplit(input, join(trueFolder, "test"), input.kept.test.map(input.sourceIndex))
  return { prepared: await trainAndScore(input, input.prepared, "prepared"), truth: await trainAndScore(input, trueFolder, "true") }
}
