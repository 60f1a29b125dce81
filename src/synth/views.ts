/**
 * Held-out views in a layout that has one static camera per split. Seeing the
 * person from a camera raised by angle e around a pivot (the point the camera
 * looks at) gives the same image as tilting the person by e about the
 * horizontal axis through the pivot and keeping the camera (white background,
 * shading baked in the texture). So a novel view is written as the training
 * camera plus a rigidly moved pose; the equivalent moved camera is recorded too.
 *
 * A body posed with global rotation R and translation t puts rest point x at
 * R (x - j0) + j0 + t (j0: rest root joint). Moving that by M = (Q, q):
 *   R' = Q R,   t' = Q (j0 + t) + q - j0.
 */
import type { Vec3 } from "./camera.ts"
import type { Motion } from "./motion.ts"
import { mul33 } from "../math/matrix.ts"
import { axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"

export interface HeldOutView {
  /** Training frame whose pose is seen. */
  readonly frame: number
  /** Camera elevation relative to the training camera, radians (positive: from above). */
  readonly elevation: number
}

/** Elevations cycled over the held-out views, degrees. */
const ELEVATIONS_DEG = [25, -15, 35, -10, 15]

/** `count` views spread over the training frames, each from another height. */
export const heldOutViews = (trainingFrames: number, count: number): HeldOutView[] =>
  Array.from({ length: count }, (_, k) => ({
    frame: Math.floor(((k + 0.5) * trainingFrames) / count),
    elevation: (ELEVATIONS_DEG[k % ELEVATIONS_DEG.length]! * Math.PI) / 180
  }))

/** Row-major 4x4 of the rotation by `angle` about the world x axis through `pivot`. */
export const tiltAbout = (pivot: Vec3, angle: number): Float64Array => {
  const q = axisAngleToMatrix([angle, 0, 0])
  const m = new Float64Array(16)
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) m[4 * r + c] = q[3 * r + c]!
    m[4 * r + 3] = pivot[r]! - (q[3 * r]! * pivot[0] + q[3 * r + 1]! * pivot[1] + q[3 * r + 2]! * pivot[2])
  }
  m[15] = 1
  return m
}

/** Pose [72] and translation [3] of the body moved rigidly by 4x4 m, for rest root joint j0. */
export const moveRigidly = (pose: ArrayLike<number>, transl: ArrayLike<number>, m: Float64Array, j0: Vec3): { pose: Float64Array; transl: Float64Array } => {
  const q = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!]
  const moved = Float64Array.from(pose)
  moved.set(matrixToAxisAngle(mul33(q, axisAngleToMatrix(pose, 0))), 0)
  const p = [j0[0] + transl[0]!, j0[1] + transl[1]!, j0[2] + transl[2]!]
  const t = new Float64Array(3)
  for (let r = 0; r < 3; r++) t[r] = q[3 * r]! * p[0]! + q[3 * r + 1]! * p[1]! + q[3 * r + 2]! * p[2]! + m[4 * r + 3]! - j0[r]!
  return { pose: moved, transl: t }
}

/** 4x4 product a . b, row-major. */
export const mul44 = (a: Float64Array, b: Float64Array): Float64Array => {
  const out = new Float64Array(16)
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) for (let k = 0; k < 4; k++) out[4 * r + c]! += a[4 * r + k]! * b[4 * k + c]!
  return out
}

/** The training motion's frames seen from the held-out views, all through the training camera. */
export const heldOutMotion = (training: Motion, views: ReadonlyArray<HeldOutView>, pivot: Vec3, j0: Vec3): { motion: Motion; moves: Float64Array[] } => {
  const poses = new Float64Array(views.length * 72)
  const transl = new Float64Array(views.length * 3)
  const moves = views.map((view, k) => {
    const m = tiltAbout(pivot, view.elevation)
    const moved = moveRigidly(training.poses.subarray(72 * view.frame, 72 * view.frame + 72), training.transl.subarray(3 * view.frame, 3 * view.frame + 3), m, j0)
    poses.set(moved.pose, 72 * k)
    transl.set(moved.transl, 3 * k)
    return m
  })
  return { motion: { poses, transl }, moves }
}
