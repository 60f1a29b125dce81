/**
 * graphs.fit as a graph builder: run(graphs.fit, clip) makes the fit graph for a clip dataset (one
 * sample holding every frame: keypoints [F, K, 2], confidence [F, K], boneTargets [F, B, 3],
 * boneConfidence [F, B], masks [F, h, w], poseInit
 * [F, 72], translInit [F, 3], the camera as intrinsic [3, 3] and imageSize [2] = width, height, and
 * optionally runs [F], each frame's run: the temporal terms never reach across a change of run)
 * with the open body (or `body`) and the settings' second-stage steps. `.with({...})` changes a choice.
 */
import { Effect } from "effect"
import type { BodyModel } from "../../body/model.ts"
import { openBody } from "../../body/openBody.ts"
import type { Dataset, HostTensor } from "../../data/dataset.ts"
import type { GraphBuilder } from "../builder.ts"
import { GraphError } from "../../dsl/errors.ts"
import type { FitConfig, FitGraph } from "./fit.ts"
import { fitGraph } from "./fit.ts"
import type { BoneRule, LandmarkRule } from "./landmarks.ts"
import { blazePoseBones, blazePoseRules } from "./landmarks.ts"
import type { FitBody } from "./points.ts"
import { fitBody } from "./points.ts"
import type { FitSettings } from "./settings.ts"
import { fitSettings } from "./settings.ts"

export interface FitChoices {
  /** Default: the open body. */
  readonly body?: BodyModel
  readonly rules: ReadonlyArray<LandmarkRule>
  readonly bones: ReadonlyArray<BoneRule>
  readonly settings: FitSettings
}

/** Rest-pull weight per joint and axis: wrists, feet, head and neck lightly; twists about the arm (x) and leg (y) bones more. */
export const restWeights = (): Float32Array => {
  const w = new Float32Array(24 * 3)
  const set = (joint: number, axis: number, value: number) => (w[3 * joint + axis] = value)
  for (const j of [20, 21, 10, 11, 15, 12]) for (let a = 0; a < 3; a++) set(j, a, 0.3)
  for (const j of [16, 17, 18, 19]) set(j, 0, 1)
  for (const j of [1, 2, 4, 5, 7, 8]) set(j, 1, 1)
  for (const j of [13, 14]) for (let a = 0; a < 3; a++) set(j, a, 1)
  return w
}

const host = (shape: ReadonlyArray<number>, data: Float32Array): HostTensor => ({ shape, data })

export const fitConstants = (points: FitBody): Readonly<Record<string, HostTensor>> => ({
  vTemplate: host([points.count, 3], points.vTemplate),
  shapeDirs: host([points.count, 3, 10], points.shapeDirs),
  jRegressor: host([24, points.count], points.jRegressor),
  skinWeights: host([points.count, 24], points.weights),
  restWeights: host([24, 3], restWeights())
})

const missing = (dataset: Dataset, what: string) => new GraphError({ graph: "fit", where: `dataset "${dataset.name}", sample 0`, reason: `has no ${what}` })

/** The frames whose run differs from the frame before's. */
export const breaksOf = (runs: ArrayLike<number>): ReadonlyArray<number> => Array.from(runs, (r, t) => (t > 0 && r !== runs[t - 1] ? t : -1)).filter((t) => t > 0)

/** The fit's config from a clip's first (only) sample. */
export const fitConfigOf = (dataset: Dataset, points: FitBody, bones: ReadonlyArray<BoneRule>, settings: FitSettings) =>
  Effect.gen(function* () {
    const clip = yield* dataset.sample(0)
    const { keypoints, masks, intrinsic, imageSize, runs } = clip.tensors
    if (!keypoints || keypoints.shape.length !== 3) return yield* missing(dataset, `"keypoints" [F, K, 2]`)
    if (!masks || masks.shape.length !== 3) return yield* missing(dataset, `"masks" [F, h, w]`)
    if (!intrinsic || intrinsic.data.length !== 9) return yield* missing(dataset, `"intrinsic" [3, 3]`)
    if (!imageSize || imageSize.data.length !== 2) return yield* missing(dataset, `"imageSize" [2]`)
    const [frames, , ] = keypoints.shape as [number, number, number]
    const [, h, w] = masks.shape as [number, number, number]
    const k = intrinsic.data
    const width = imageSize.data[0]!, height = imageSize.data[1]!
    const config: FitConfig = {
      frames,
      points: points.count,
      landmarkRows: points.landmarkRows,
      bones: bones.map((b) => b.joints),
      camera: { fx: k[0]!, fy: k[4]!, cx: k[2]!, cy: k[5]!, width, height },
      silhouette: { width: w, height: h, scale: w / width },
      breaks: runs ? breaksOf(runs.data) : [],
      settings
    }
    return config
  })

export interface FitBuilder extends GraphBuilder<FitGraph, GraphError | Effect.Effect.Error<ReturnType<Dataset["sample"]>>> {
  readonly choices: FitChoices
  readonly with: (changes: Partial<FitChoices>) => FitBuilder
  /** The fit body of these choices (made once per builder). */
  readonly points: () => FitBody
}

export const fitBuilder = (choices: FitChoices): FitBuilder => {
  let made: FitBody | undefined
  const points = () => (made ??= fitBody(choices.body ?? openBody(), choices.rules, choices.settings.silhouetteStride))
  return {
    _tag: "GraphBuilder",
    name: "fit",
    choices,
    points,
    with: (changes) => fitBuilder({ ...choices, ...changes }),
    build: (dataset) =>
      Effect.map(fitConfigOf(dataset, points(), choices.bones, choices.settings), (config) => ({
        graph: fitGraph(config),
        constants: fitConstants(points()),
        options: { epochs: choices.settings.steps, batchSize: 1 }
      }))
  }
}

export const defaultFitChoices = (): FitChoices => ({ rules: blazePoseRules, bones: blazePoseBones, settings: fitSettings() })
