/**
 * Runs graphs.fit on the kept frames, in SMPLify's two stages, through the runtime (its progress
 * bar, the chosen backend): first the global orientation and translation only, from the torso and
 * face landmarks, starting at init.ts's closed form; then every frame's pose and translation and the
 * shared shape together, with the silhouettes and the priors. Landmarks scoring below 0.2 are left
 * out (as the original's refit does); the others weigh score x the landmark's weight. Each bone's 3D
 * target is the unit direction between its two landmarks' 3D estimates, weighing the lower of their
 * scores (none below 0.2); the first stage keeps the torso's bones (shoulders, hips) only.
 */
import { Effect } from "effect"
import type { Dataset, HostTensor } from "../data/dataset.ts"
import { inMemory } from "../data/dataset.ts"
import type { FitBuilder } from "../graphs/fit/builder.ts"
import { fitConfigOf, fitConstants } from "../graphs/fit/builder.ts"
import { fitGraph, orientationStage } from "../graphs/fit/fit.ts"
import { FACE, TORSO, TORSO_BONES } from "../graphs/fit/landmarks.ts"
import { landmarksOnly } from "../graphs/fit/points.ts"
import { run } from "../runtime/run.ts"
import type { StageTime } from "./clock.ts"
import { timed } from "./clock.ts"
import type { TrainedState } from "../runtime/state.ts"
import { fitLongSide } from "./frames.ts"
import type { Pinhole, Start } from "./init.ts"
import { shrinkMask } from "./masks.ts"

export const MIN_SCORE = 0.2

export interface FitInput {
  /** Per kept frame: [33 * 3] landmarks (x, y, score). */
  readonly landmarks: ReadonlyArray<Float32Array>
  /** Per kept frame: [33 * 3] the landmarks' 3D estimates (metres, camera axes, any origin). */
  readonly world: ReadonlyArray<Float32Array>
  /** Per kept frame: [H * W] 0/255. */
  readonly masks: ReadonlyArray<Uint8Array>
  /** Per kept frame: its run (frames of one run follow each other in the source; a dropped frame begins a new run). */
  readonly runs: ReadonlyArray<number>
  readonly width: number
  readonly height: number
  readonly camera: Pinhole
  readonly starts: ReadonlyArray<Start>
}

export interface FitResult {
  /** [F * 72] */
  readonly poses: Float32Array
  /** [F * 3] */
  readonly transl: Float32Array
  /** [10] */
  readonly betas: Float32Array
  readonly seconds: number
}

const host = (shape: ReadonlyArray<number>, data: Float32Array): HostTensor => ({ shape, data })

/** [F, B, 3] unit bone directions from the 3D landmarks and [F, B] their confidences; `use(name)` says whether a bone takes part. */
const boneTargets = (input: FitInput, bones: FitBuilder["choices"]["bones"], use: (name: string) => boolean) => {
  const F = input.landmarks.length
  const B = bones.length
  const targets = new Float32Array(F * B * 3)
  const confidence = new Float32Array(F * B)
  input.world.forEach((world, f) => {
    const scores = input.landmarks[f]!
    bones.forEach((bone, b) => {
      const [from, to] = bone.landmarks
      const d = [0, 1, 2].map((c) => world[3 * to + c]! - world[3 * from + c]!)
      const length = Math.hypot(d[0]!, d[1]!, d[2]!)
      const score = Math.min(scores[3 * from + 2]!, scores[3 * to + 2]!)
      if (!use(bone.name) || score < MIN_SCORE || length < 1e-6) return
      for (let c = 0; c < 3; c++) targets[(f * B + b) * 3 + c] = d[c]! / length
      confidence[f * B + b] = score
    })
  })
  return { targets, confidence }
}

/** The clip as one sample; `use(k)` says whether landmark k takes part, `useBone(name)` whether a bone does. */
const clipDataset = (input: FitInput, builder: FitBuilder, use: (k: number) => boolean, useBone: (name: string) => boolean): Dataset => {
  const rules = builder.choices.rules
  const F = input.landmarks.length
  const K = rules.length
  const keypoints = new Float32Array(F * K * 2)
  const confidence = new Float32Array(F * K)
  input.landmarks.forEach((lm, f) => {
    for (let k = 0; k < K; k++) {
      keypoints[(f * K + k) * 2] = lm[3 * k]!
      keypoints[(f * K + k) * 2 + 1] = lm[3 * k + 1]!
      const score = lm[3 * k + 2]!
      confidence[f * K + k] = use(k) && score >= MIN_SCORE ? score * rules[k]!.weight : 0
    }
  })
  const [w, h] = fitLongSide(input.width, input.height, builder.choices.settings.silhouetteSide)
  const masks = new Float32Array(F * w * h)
  input.masks.forEach((m, f) => masks.set(shrinkMask(m, input.width, input.height, w, h), f * w * h))
  const poseInit = new Float32Array(F * 72)
  const translInit = new Float32Array(F * 3)
  input.starts.forEach((s, f) => {
    poseInit.set(s.pose, 72 * f)
    translInit.set(s.transl, 3 * f)
  })
  const c = input.camera
  const bones = builder.choices.bones
  const bone = boneTargets(input, bones, useBone)
  return inMemory("clip", [
    {
      keypoints: host([F, K, 2], keypoints),
      confidence: host([F, K], confidence),
      boneTargets: host([F, bones.length, 3], bone.targets),
      boneConfidence: host([F, bones.length], bone.confidence),
      masks: host([F, h, w], masks),
      poseInit: host([F, 72], poseInit),
      translInit: host([F, 3], translInit),
      intrinsic: host([3, 3], Float32Array.of(c.fx, 0, c.cx, 0, c.fy, c.cy, 0, 0, 1)),
      imageSize: host([2], Float32Array.of(input.width, input.height)),
      runs: host([F], Float32Array.from(input.runs))
    }
  ])
}

const ORIENTATION_LANDMARKS = new Set<number>([TORSO.leftShoulder, TORSO.rightShoulder, TORSO.leftHip, TORSO.rightHip, ...FACE])

/** Pose, translation and shape from the fitted params (pose = poseInit + deltas, hands at rest). */
const resultOf = (state: TrainedState, input: FitInput, seconds: number): FitResult => {
  const F = input.landmarks.length
  const global = state.params["globalDelta"]!.data, body = state.params["bodyDelta"]!.data, dt = state.params["translDelta"]!.data
  const poses = new Float32Array(F * 72)
  const transl = new Float32Array(F * 3)
  input.starts.forEach((s, f) => {
    for (let i = 0; i < 3; i++) poses[72 * f + i] = s.pose[i]! + global[3 * f + i]!
    for (let i = 3; i < 66; i++) poses[72 * f + i] = s.pose[i]! + body[63 * f + i - 3]!
    for (let i = 0; i < 3; i++) transl[3 * f + i] = s.transl[i]! + dt[3 * f + i]!
  })
  return { poses, transl, betas: Float32Array.from(state.params["betas"]!.data), seconds }
}

/** The fit's two stages, their times appended to `times`. */
export const fitClip = (input: FitInput, builder: FitBuilder, times: StageTime[] = []) =>
  Effect.gen(function* () {
    const began = performance.now()
    const settings = builder.choices.settings
    // The first stage compares no silhouette: it poses only the joints and the landmarks' points (57 rather than about 1,200).
    const few = landmarksOnly(builder.points())
    const first = clipDataset(input, builder, (k) => ORIENTATION_LANDMARKS.has(k), (name) => TORSO_BONES.includes(name))
    const firstConfig = yield* fitConfigOf(first, few, builder.choices.bones, settings)
    const oriented = yield* run(orientationStage(fitGraph(firstConfig)), first, { epochs: settings.orientSteps, constants: fitConstants(few), shuffle: false }).pipe(timed(times, "fit: orientation"))
    const all = clipDataset(input, builder, () => true, () => true)
    const config = yield* fitConfigOf(all, builder.points(), builder.choices.bones, settings)
    const fitted = yield* run(fitGraph(config), all, { epochs: settings.steps, constants: fitConstants(builder.points()), shuffle: false, initFrom: oriented }).pipe(timed(times, "fit: all"))
    return resultOf(fitted, input, (performance.now() - began) / 1000)
  })
