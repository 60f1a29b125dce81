/**
 * Putting a motion where the avatar was trained to stand. A y-up motion (AMASS, BVH) is turned about
 * the vertical and re-anchored so that its first frame stands where the training subject stood in
 * the anchor frame (its pelvis there, facing the same way, its up along the subject's up); later
 * frames keep their displacements from the first. The pelvis sits at rest joint 0 + translation
 * whatever the root rotation, so only translation differences enter and no body is needed:
 *   R_root' = A R_root,  t' = A (t - t_0) + t_anchor,
 * with A the rotation taking the motion's (up = y, facing) to the anchor's (R_anchor y, facing).
 * A motion of the training data's own world (Native) is left as it is.
 */
import { mul33, mulVec33, transpose33 } from "../math/matrix.ts"
import { axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"
import type { Motion } from "./motion.ts"
import { SMPL_POSE_SIZE } from "./motion.ts"

/** A pose of the training subject: root orientation (axis-angle [3] or more: the first 3 are used) and translation [3]. */
export interface Anchor {
  readonly pose: ArrayLike<number>
  readonly transl: ArrayLike<number>
}

type Vec = [number, number, number]

const normalise = (v: Vec): Vec => {
  const n = Math.hypot(...v)
  return [v[0] / n, v[1] / n, v[2] / n]
}
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]

/** Columns (right, up, forward) of a frame whose up is `up` and forward is `facing` made perpendicular to it. */
const basis = (up: Vec, facing: Vec): Float64Array => {
  const u = normalise(up)
  const d = facing[0] * u[0] + facing[1] * u[1] + facing[2] * u[2]
  const f = normalise([facing[0] - d * u[0], facing[1] - d * u[1], facing[2] - d * u[2]])
  const r = cross(u, f)
  return Float64Array.of(r[0], u[0], f[0], r[1], u[1], f[1], r[2], u[2], f[2])
}

/** The rotation A of the placement (row-major 3x3). */
export const placementRotation = (motion: Motion, anchor: Anchor): Float64Array => {
  const root = axisAngleToMatrix(motion.poses, 0)
  const target = axisAngleToMatrix(anchor.pose, 0)
  const from = basis([0, 1, 0], mulVec33(root, [0, 0, 1]))
  const to = basis(mulVec33(target, [0, 1, 0]), mulVec33(target, [0, 0, 1]))
  return mul33(to, transpose33(from))
}

export const placeMotion = (motion: Motion, anchor: Anchor): Motion => {
  if (motion.world._tag === "Native") return motion
  const a = placementRotation(motion, anchor)
  const poses = Float64Array.from(motion.poses)
  const transl = new Float64Array(motion.transl.length)
  for (let i = 0; i < motion.frames; i++) {
    poses.set(matrixToAxisAngle(mul33(a, axisAngleToMatrix(motion.poses, i * SMPL_POSE_SIZE))), i * SMPL_POSE_SIZE)
    const moved = mulVec33(a, [0, 1, 2].map((c) => (motion.transl[3 * i + c] as number) - (motion.transl[c] as number)))
    for (let c = 0; c < 3; c++) transl[3 * i + c] = (moved[c] as number) + (anchor.transl[c] as number)
  }
  return { ...motion, poses, transl, world: { _tag: "Native" } }
}

/** The motion moved (translation only) so that its first frame's root is at the anchor's. */
export const reanchor = (motion: Motion, anchor: Anchor): Motion => {
  const transl = Float64Array.from(motion.transl, (v, k) => v - (motion.transl[k % 3] as number) + (anchor.transl[k % 3] as number))
  return { ...motion, transl }
}
