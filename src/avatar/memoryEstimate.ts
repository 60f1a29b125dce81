/**
 * How much memory training an avatar needs, estimated before the first step from the sizes: the
 * WebAssembly heap that tfjs wasm grows (at most 4 GiB, wasm32 addresses) is
 *   base + perGaussian N + perGaussianUnit N hidden + perPixel W H + perFeature F^2 C,
 * a linear model whose coefficients `npm run bench -- memory` fits to measured peaks (it prints the
 * fit beside the coefficients here; refit them when the runtime's memory changes). The process's
 * resident memory is that heap plus `rssOverHeap` (Node, tfjs, the body model, the dataset).
 * N Gaussians (valid texels of the query map), decoder width `hidden`, frames W x H, feature tensor F
 * x F x C. Batches differentiate one sample at a time, so the batch size adds little.
 * A configuration whose estimate exceeds the heap's limit or this machine's memory is refused with
 * MemoryTooSmall, one line naming the sizes, the estimate and the limit.
 */
import { Data, Effect } from "effect"
import { totalmem } from "node:os"
import type { BodyModel } from "../body/model.ts"
import { openBody } from "../body/openBody.ts"
import type { AvatarSubject } from "../graphs/avatar/avatar.ts"
import type { AvatarSizes } from "../graphs/avatar/config.ts"
import type { Preset } from "../graphs/avatar/presets.ts"
import { avatarSetup } from "../graphs/avatar/setup.ts"
import type { BackendName } from "../runtime/backend.ts"
import { wasmHeapLimit } from "../runtime/memory.ts"

export interface MemoryShape {
  readonly gaussians: number
  readonly pixels: number
  readonly sizes: AvatarSizes
}

/** The model's regressors, in the order of the coefficients. */
export const memoryRegressors = (s: MemoryShape): ReadonlyArray<number> => [1, s.gaussians, s.gaussians * s.sizes.hidden, s.pixels, s.sizes.featureSize ** 2 * s.sizes.channels]

export const regressorNames = ["base", "per Gaussian", "per Gaussian per decoder unit", "per pixel", "per feature-tensor value"] as const

/**
 * Heap coefficients (bytes) per stage, in regressorNames' order: `npm run bench -- memory`'s fit
 * (coefficients >= 0) on 2026-12-03 over its configurations with query maps 128 and 256, frames
 * 256x256 and 512x512 (largest residual 2% in stage 1, 11% in stage 2, where the heap grows in
 * steps). Query map 512 (the paper preset, 173,643 Gaussians, batch 2, 512x512), measured later and
 * not in the fit, lands within 2% (stage 1: 2.12 GiB measured, 2.16 estimated) and 5% (stage 2: 2.32
 * measured, 2.44 estimated).
 */
export const heapModel: Readonly<Record<1 | 2, ReadonlyArray<number>>> = {
  1: [5_171_571, 0, 100.74, 85.99, 49.14],
  2: [164_125_462, 0, 106.14, 0, 93.61]
}

/**
 * Resident memory beyond the heap (Node, tfjs, the body model, the dataset, host-side copies of the
 * decoder's activations): the largest the bench measured, 0.65 GB in the paper preset's stage 1 at
 * 512x512 (0.34-0.4 GB at query maps 128 and 256).
 */
export const rssOverHeap = 0.65e9

const dot = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0)

export interface MemoryEstimate {
  readonly heapBytes: number
  readonly rssBytes: number
}

/** The larger of the stages' estimates. */
export const estimateMemory = (shape: MemoryShape, stages: ReadonlyArray<1 | 2>): MemoryEstimate => {
  const heapBytes = Math.max(...stages.map((stage) => dot(heapModel[stage], memoryRegressors(shape))))
  return { heapBytes, rssBytes: heapBytes + rssOverHeap }
}

export const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`

/** A configuration whose estimated memory exceeds the WebAssembly heap's limit or this machine's memory, refused before the first step. */
export class MemoryTooSmall extends Data.TaggedError("MemoryTooSmall")<{
  /** The sizes, e.g. "query 512 (173,643 Gaussians), feature tensor 128 x 64, decoder 128, batch 2, 512x512 frames". */
  readonly sizes: string
  readonly estimateBytes: number
  readonly limitBytes: number
  /** Which limit: "the WebAssembly heap's 4 GiB" or "this machine's memory". */
  readonly limit: string
}> {
  override get message(): string {
    return `${this.sizes} needs about ${gib(this.estimateBytes)}, more than ${this.limit} (${gib(this.limitBytes)}): choose smaller sizes or frames`
  }
}

export const describeShape = (s: MemoryShape, batch: number, width: number, height: number): string =>
  `query ${s.sizes.querySize} (${s.gaussians.toLocaleString("en-US")} Gaussians), feature tensor ${s.sizes.featureSize} x ${s.sizes.channels}, decoder ${s.sizes.hidden}, batch ${batch}, ${width}x${height} frames`

/** MemoryTooSmall when the estimate does not fit, else the estimate. */
export const checkMemory = (
  shape: MemoryShape,
  stages: ReadonlyArray<1 | 2>,
  batch: number,
  width: number,
  height: number,
  machineBytes: number = totalmem(),
  heapLimit: number = wasmHeapLimit
): MemoryEstimate | MemoryTooSmall => {
  const estimate = estimateMemory(shape, stages)
  const sizes = describeShape(shape, batch, width, height)
  if (estimate.heapBytes > heapLimit) return new MemoryTooSmall({ sizes, estimateBytes: estimate.heapBytes, limitBytes: wasmHeapLimit, limit: "the WebAssembly heap's 4 GiB" })
  if (estimate.rssBytes > machineBytes) return new MemoryTooSmall({ sizes, estimateBytes: estimate.rssBytes, limitBytes: machineBytes, limit: "this machine's memory" })
  return estimate
}

/**
 * Before training: the estimate for this preset, body (the open body when undefined) and subject (Gaussians from the preset's
 * query map on the body's UV layout), checked against the wasm heap's limit and this machine's
 * memory; the cpu backend (no WebAssembly heap) only against the machine's. Not checked on webgpu
 * (the GPU's memory is another matter).
 */
export const checkTrainingMemory = (preset: Preset, body: BodyModel | undefined, subject: AvatarSubject, stages: ReadonlyArray<1 | 2>, backend: BackendName): Effect.Effect<MemoryEstimate | undefined, MemoryTooSmall> =>
  Effect.suspend(() => {
    if (backend === "webgpu") return Effect.succeed(undefined)
    const { sizes } = preset
    const gaussians = avatarSetup(body ?? openBody(), Float64Array.from(subject.betas), sizes.querySize, sizes.featureSize).dims.N
    const shape: MemoryShape = { gaussians, pixels: subject.width * subject.height, sizes }
    const checked = checkMemory(shape, stages, preset.batchSize, subject.width, subject.height, totalmem(), backend === "wasm" ? wasmHeapLimit : Number.POSITIVE_INFINITY)
    return checked instanceof MemoryTooSmall ? Effect.fail(checked) : Effect.succeed(checked)
  })
