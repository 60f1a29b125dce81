/**
 * A synthetic monocular recording of the clothed person, in memory: three
 * splits seen by one static camera (studio.ts) on a white background,
 * - train: one turn in an A-pose with small motions (motion.ts),
 * - test: training frames from held-out views (views.ts),
 * - novel_pose: walking and raising the arms, from the training camera,
 * each with its ground-truth motion and the fit a pose estimator would give
 * (poseNoise.ts; equal to the truth when the noise level is zero).
 * Everything follows from options.seed.
 */
import type { BodyModel } from "../body/model.ts"
import { createRng, mixSeed } from "../math/rng.ts"
import type { Vec3 } from "./camera.ts"
import { type Motion, novelPoseMotion, trainingMotion } from "./motion.ts"
import { type Person, createPerson, posePerson } from "./person.ts"
import { type NoiseLevel, noisyFit } from "./poseNoise.ts"
import { createRenderer, type Frame8, renderMesh } from "./render.ts"
import { type Studio, studio } from "./studio.ts"
import { heldOutMotion, heldOutViews, type HeldOutView, mul44 } from "./views.ts"

export interface SynthOptions {
  readonly seed: number
  /** Training frames. */
  readonly frames: number
  /** Image width and height, pixels. */
  readonly size: number
  /** Novel-view (test) frames. */
  readonly testFrames: number
  readonly novelPoseFrames: number
  readonly noise: NoiseLevel
  /** Samples per pixel along each axis (anti-aliasing). */
  readonly supersample: number
  /** Side of the baked texture, texels. */
  readonly textureSize: number
}

export const DEFAULT_OPTIONS: SynthOptions = {
  seed: 1,
  frames: 60,
  size: 256,
  testFrames: 10,
  novelPoseFrames: 20,
  noise: { degrees: 0, centimetres: 0 },
  supersample: 2,
  textureSize: 1024
}

export type SplitName = "train" | "test" | "novel_pose"

export interface Split {
  readonly name: SplitName
  readonly truth: Motion
  readonly fit: Motion
  readonly frames: ReadonlyArray<Frame8>
  /** test only: per frame, the view and the moved camera (world to camera) that sees the unmoved person alike. */
  readonly views?: ReadonlyArray<HeldOutView & { readonly extrinsic: Float64Array }>
}

export interface Synthetic {
  readonly options: SynthOptions
  readonly person: Person
  readonly studio: Studio
  readonly splits: ReadonlyArray<Split>
}

/** Seeded mild body shape: 0.4 N(0, 1) per beta, clamped to +-0.8. */
const bodyShape = (count: number, seed: number): Float64Array => {
  const rng = createRng(mixSeed(seed, 1))
  return Float64Array.from({ length: count }, () => Math.max(-0.8, Math.min(0.8, 0.4 * rng.normal())))
}

const restRoot = (person: Person): Vec3 => {
  const V = person.body.vertexCount
  const root: [number, number, number] = [0, 0, 0]
  for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) root[c]! += person.body.jRegressor[v]! * person.shapedRest[3 * v + c]!
  return root
}

const renderMotion = (person: Person, s: Studio, motion: Motion, supersample: number): Frame8[] => {
  const renderer = createRenderer(s.camera.width, s.camera.height, supersample)
  const mesh = { faces: person.body.faces, uv: person.body.uv, texture: person.texture }
  const n = motion.poses.length / 72
  return Array.from({ length: n }, (_, i) => {
    const posed = posePerson(person, motion.poses.subarray(72 * i, 72 * i + 72), motion.transl.subarray(3 * i, 3 * i + 3))
    return renderMesh(renderer, mesh, posed.clothed, s.camera)
  })
}

const split = (name: SplitName, truth: Motion, options: SynthOptions, index: number, render: (m: Motion) => Frame8[]): Split => ({
  name,
  truth,
  fit: noisyFit(truth, options.noise, createRng(mixSeed(options.seed, 10 + index))),
  frames: render(truth)
})

export const synthesize = (body: BodyModel, options: SynthOptions): Synthetic => {
  const person = createPerson(body, bodyShape(body.shapeCount, options.seed), options.textureSize)
  const s = studio(person, options.size, options.size)
  const render = (m: Motion) => renderMotion(person, s, m, options.supersample)
  const training = trainingMotion(options.frames, createRng(mixSeed(options.seed, 2)))
  const views = heldOutViews(options.frames, options.testFrames)
  const heldOut = heldOutMotion(training, views, s.pivot, restRoot(person))
  const test = split("test", heldOut.motion, options, 1, render)
  return {
    options,
    person,
    studio: s,
    splits: [
      split("train", training, options, 0, render),
      { ...test, views: views.map((v, k) => ({ ...v, extrinsic: mul44(s.camera.extrinsic, heldOut.moves[k]!) })) },
      split("novel_pose", novelPoseMotion(options.novelPoseFrames), options, 2, render)
    ]
  }
}
