/**
 * Whether the body fit projects into the image in every frame, checked before training (a focal
 * length of 1e30 or a translation of 3e38 otherwise trains on blank renders). The posed skeleton's
 * joints come from the body's forward pass run on its joints alone (float64: rest joints regressed
 * once from the shaped body, then the kinematic chain per frame), and go through the camera
 * (OpenCV: u = fx X / Z + cx, pixel centres at integers). A frame passes when some joint lies in
 * front of the camera and inside the image, and the joints span at least MIN_SPAN pixels.
 */
import { Effect, Option } from "effect"
import type { BodyModel } from "../body/model.ts"
import { bodyForward64 } from "../body/forward64.ts"
import type { Dataset, Sample } from "../data/dataset.ts"
import { DatasetError } from "../data/errors.ts"

/** The fewest pixels a body may span: fewer means it is too far, or the focal length is absurd. */
export const MIN_SPAN = 2

export interface ViewCamera {
  /** [9] row-major, OpenCV. */
  readonly intrinsic: ArrayLike<number>
  /** [16] row-major world to camera. */
  readonly extrinsic: ArrayLike<number>
  readonly width: number
  readonly height: number
}

/** Rest joints of the shaped body: jRegressor x (vTemplate + shapeDirs . betas), [J * 3]. */
const restJoints = (body: BodyModel, betas: ArrayLike<number>): Float64Array => {
  const V = body.vertexCount
  const K = Math.min(body.shapeCount, betas.length)
  const J = body.parents.length
  const joints = new Float64Array(J * 3)
  for (let v = 0; v < V; v++) {
    for (let c = 0; c < 3; c++) {
      let x = body.vTemplate[3 * v + c] as number
      for (let k = 0; k < K; k++) x += (body.shapeDirs[(3 * v + c) * body.shapeCount + k] as number) * (betas[k] as number)
      for (let j = 0; j < J; j++) joints[3 * j + c]! += (body.jRegressor[j * V + v] as number) * x
    }
  }
  return joints
}

/** Posed joints [N, J, 3] of every frame: the forward pass on a "body" whose vertices are its joints. */
export const posedJoints = (body: BodyModel, betas: ArrayLike<number>, poses: Float64Array, transl: Float64Array, frames: number): Float64Array => {
  const J = body.parents.length
  const identity = new Float64Array(J * J).map((_, i) => (i % (J + 1) === 0 ? 1 : 0))
  const skeleton = { vTemplate: restJoints(body, betas), shapeDirs: new Float64Array(0), jRegressor: identity, weights: identity, parents: Array.from(body.parents) }
  return bodyForward64(skeleton, new Float64Array(0), poses, transl, frames).vertices
}

/** Why frame `f`'s joints do not show in the image, or undefined when they do. */
const notInView = (joints: Float64Array, f: number, count: number, camera: ViewCamera): string | undefined => {
  const [fx, , cx, , fy, cy] = [0, 1, 2, 3, 4, 5].map((i) => camera.intrinsic[i] as number) as [number, number, number, number, number, number]
  const e = camera.extrinsic
  let inside = 0
  let front = 0
  const box = [Infinity, Infinity, -Infinity, -Infinity]
  for (let j = 0; j < count; j++) {
    const at = (f * count + j) * 3
    const p = [joints[at] as number, joints[at + 1] as number, joints[at + 2] as number]
    const [x, y, z] = [0, 1, 2].map((r) => (e[4 * r] as number) * p[0]! + (e[4 * r + 1] as number) * p[1]! + (e[4 * r + 2] as number) * p[2]! + (e[4 * r + 3] as number)) as [number, number, number]
    if (!(z > 0 && Number.isFinite(z))) continue
    front++
    const u = (fx * x) / z + cx
    const v = (fy * y) / z + cy
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue
    box.splice(0, 4, Math.min(box[0]!, u), Math.min(box[1]!, v), Math.max(box[2]!, u), Math.max(box[3]!, v))
    if (u >= -0.5 && u <= camera.width - 0.5 && v >= -0.5 && v <= camera.height - 0.5) inside++
  }
  if (front === 0) return "behind the camera"
  if (inside === 0) return `outside the ${camera.width}x${camera.height} image (joints from (${box[0]!.toPrecision(3)}, ${box[1]!.toPrecision(3)}) to (${box[2]!.toPrecision(3)}, ${box[3]!.toPrecision(3)}) px)`
  const span = Math.max(box[2]! - box[0]!, box[3]! - box[1]!)
  return span < MIN_SPAN ? `${span.toPrecision(2)} pixels across (too far from the camera, or a wrong focal length)` : undefined
}

/** The frames whose body does not show in the image, each with why. */
export const framesOutOfView = (body: BodyModel, betas: ArrayLike<number>, poses: Float64Array, transl: Float64Array, camera: ViewCamera): ReadonlyArray<{ readonly frame: number; readonly why: string }> => {
  const frames = transl.length / 3
  const joints = posedJoints(body, betas, poses, transl, frames)
  const out: Array<{ frame: number; why: string }> = []
  for (let f = 0; f < frames; f++) {
    const why = notInView(joints, f, body.parents.length, camera)
    if (why !== undefined) out.push({ frame: f, why })
  }
  return out
}

const listed = (frames: ReadonlyArray<number>): string => (frames.length <= 8 ? frames.join(", ") : `${frames.slice(0, 8).join(", ")}, ...`)

/** A DatasetError naming `folder` and the frames whose body fit does not project into the image (camera of the first sample). */
export const checkBodyInView = (folder: string, dataset: Dataset, body: BodyModel, first: Sample): Effect.Effect<void, DatasetError> =>
  Effect.suspend(() => {
    const pose = Option.getOrUndefined(dataset.perFrame("pose"))
    const transl = Option.getOrUndefined(dataset.perFrame("transl"))
    const { betas, intrinsic, extrinsic, image } = first.tensors
    if (!pose || !transl || !betas || !intrinsic || !extrinsic || !image) return Effect.void
    const camera = { intrinsic: intrinsic.data, extrinsic: extrinsic.data, width: image.shape[1] as number, height: image.shape[0] as number }
    const bad = framesOutOfView(body, betas.data, Float64Array.from(pose.data), Float64Array.from(transl.data), camera)
    if (bad.length === 0) return Effect.void
    const [firstBad] = bad
    return Effect.fail(new DatasetError({
      file: folder,
      reason: `the body fit does not project into the image in ${bad.length} of ${dataset.size} frames (${listed(bad.map((b) => b.frame))}): frame ${firstBad!.frame}'s body is ${firstBad!.why}; check the camera and the body fit`
    }))
  })
