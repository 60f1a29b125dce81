/**
 * How far refined body poses are from the truth, as the pose-optimisation bench reports it:
 * - rotation: per joint and frame, the angle of the relative rotation R_true^T R_estimated between
 *   the two axis-angle vectors (so axis-angle vectors of one rotation, e.g. angle and angle + 2 pi,
 *   are 0 apart), in degrees; averaged over frames per joint, and over joints and frames;
 * - translation: per frame, the Euclidean distance between the two translations (metres in),
 *   in centimetres, averaged over frames;
 * - surface: per frame, the body posed by both (bodyForward's Float64 reference), the distance
 *   between corresponding vertices in centimetres, averaged over vertices and frames: joints that
 *   move little of the body (fingers, toes) count little.
 * - unseen rotation: per joint and frame, the part of the local rotation error (R_true^T R_est) that
 *   turns no bone beyond the joint: all of it at a leaf joint (head, hands, toes), its twist about
 *   the bone at a joint with one child, none at a joint with several (pelvis, upper spine). Images
 *   see bones; this part they see only through texture.
 * Poses are flat arrays of 3 numbers per joint, frame after frame (SMPL body_pose [frames, 72]).
 */
import { Data } from "effect"
import type { BodyArrays64 } from "../body/forward64.ts"
import { bodyForward64 } from "../body/forward64.ts"
import { mul33, transpose33 } from "../math/matrix.ts"
import { angleBetween, axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"

export class PoseArraysMismatch extends Data.TaggedError("PoseArraysMismatch")<{ readonly reason: string }> {
  override get message(): string {
    return `src/avatar/poseError.ts: ${this.reason}`
  }
}

const checkSameTriples = (what: string, estimated: ArrayLike<number>, truth: ArrayLike<number>): void => {
  if (estimated.length !== truth.length) throw new PoseArraysMismatch({ reason: `${what}: estimated has ${estimated.length} numbers, truth ${truth.length}` })
  if (truth.length === 0 || truth.length % 3 !== 0) throw new PoseArraysMismatch({ reason: `${what}: ${truth.length} numbers is not a positive multiple of 3` })
}

/** Mean rotation error (degrees) of each of `joints` joints over the frames: [joints]. */
export const jointErrorsDegrees = (estimated: ArrayLike<number>, truth: ArrayLike<number>, joints: number): Float64Array => {
  checkSameTriples("rotations", estimated, truth)
  if (truth.length % (3 * joints) !== 0) throw new PoseArraysMismatch({ reason: `rotations: ${truth.length} numbers is not a whole number of frames of ${joints} joints` })
  const frames = truth.length / (3 * joints)
  const sums = new Float64Array(joints)
  for (let at = 0; at < truth.length; at += 3) {
    const a = Array.from({ length: 3 }, (_, c) => estimated[at + c] as number)
    const b = Array.from({ length: 3 }, (_, c) => truth[at + c] as number)
    sums[(at / 3) % joints]! += (angleBetween(a, b) * 180) / Math.PI
  }
  return sums.map((s) => s / frames)
}

/** Mean rotation error (degrees) over every joint of every frame. */
export const meanRotationErrorDegrees = (estimated: ArrayLike<number>, truth: ArrayLike<number>): number => {
  const perJoint = jointErrorsDegrees(estimated, truth, 1)
  return perJoint[0] as number
}

/** Mean distance (centimetres) between estimated and true translations given in metres, 3 per frame. */
export const meanTranslationErrorCm = (estimated: ArrayLike<number>, truth: ArrayLike<number>): number => {
  checkSameTriples("translations", estimated, truth)
  let sum = 0
  for (let at = 0; at < truth.length; at += 3) {
    sum += Math.hypot((estimated[at] as number) - (truth[at] as number), (estimated[at + 1] as number) - (truth[at + 1] as number), (estimated[at + 2] as number) - (truth[at + 2] as number))
  }
  return (100 * sum) / (truth.length / 3)
}

/** Mean |component along `direction`| (centimetres) of the translation errors, e.g. along the camera's viewing axis. */
export const meanTranslationErrorAlongCm = (estimated: ArrayLike<number>, truth: ArrayLike<number>, direction: readonly [number, number, number]): number => {
  checkSameTriples("translations", estimated, truth)
  const length = Math.hypot(...direction)
  if (!(length > 0)) throw new PoseArraysMismatch({ reason: "direction has no length" })
  const unit = direction.map((d) => d / length) as [number, number, number]
  let sum = 0
  for (let at = 0; at < truth.length; at += 3) {
    sum += Math.abs(unit.reduce((s, u, c) => s + u * ((estimated[at + c] as number) - (truth[at + c] as number)), 0))
  }
  return (100 * sum) / (truth.length / 3)
}

export interface PosedFrames {
  /** [frames * J * 3] axis-angle per joint. */
  readonly poses: ArrayLike<number>
  /** [frames * 3] metres. */
  readonly transl: ArrayLike<number>
}

const posedFrame = (body: BodyArrays64, betas: Float64Array, p: PosedFrames, f: number) => {
  const J = body.parents.length
  return bodyForward64(body, betas, Float64Array.from({ length: 3 * J }, (_, k) => p.poses[3 * J * f + k] as number), Float64Array.from({ length: 3 }, (_, c) => p.transl[3 * f + c] as number), 1)
}

const checkFrames = (body: BodyArrays64, estimated: PosedFrames, truth: PosedFrames): number => {
  checkSameTriples("rotations", estimated.poses, truth.poses)
  checkSameTriples("translations", estimated.transl, truth.transl)
  const J = body.parents.length
  const frames = truth.transl.length / 3
  if (truth.poses.length !== frames * J * 3) throw new PoseArraysMismatch({ reason: `poses hold ${truth.poses.length} numbers, not ${frames} frames of ${J} joints` })
  return frames
}

/** Mean angle (degrees) between the estimated and true bones (each joint's offset from its parent joint, posed), over bones and frames. */
export const meanBoneDirectionErrorDegrees = (body: BodyArrays64, betas: Float64Array, estimated: PosedFrames, truth: PosedFrames): number => {
  const frames = checkFrames(body, estimated, truth)
  const bones = body.parents.flatMap((parent, joint) => (parent >= 0 ? [[joint, parent] as const] : []))
  if (bones.length === 0) throw new PoseArraysMismatch({ reason: "the body has no bones (one joint)" })
  const bone = (joints: Float64Array, joint: number, parent: number) => [0, 1, 2].map((c) => (joints[3 * joint + c] as number) - (joints[3 * parent + c] as number))
  let sum = 0
  for (let f = 0; f < frames; f++) {
    const a = posedFrame(body, betas, estimated, f).joints
    const b = posedFrame(body, betas, truth, f).joints
    for (const [joint, parent] of bones) sum += (vectorAngle(bone(a, joint, parent), bone(b, joint, parent)) * 180) / Math.PI
  }
  return sum / (frames * bones.length)
}

/** The angle between two 3-vectors (radians; 0 when either has no length). */
const vectorAngle = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  const [a0, a1, a2] = a as [number, number, number]
  const [b0, b1, b2] = b as [number, number, number]
  const cross = Math.hypot(a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0)
  return Math.atan2(cross, a0 * b0 + a1 * b1 + a2 * b2)
}

/** Mean distance (centimetres) between the vertices of `body` (shape `betas`) posed by the estimate and by the truth. */
export const meanVertexErrorCm = (body: BodyArrays64, betas: Float64Array, estimated: PosedFrames, truth: PosedFrames): number => {
  const frames = checkFrames(body, estimated, truth)
  let sum = 0
  for (let f = 0; f < frames; f++) {
    const a = posedFrame(body, betas, estimated, f).vertices
    const b = posedFrame(body, betas, truth, f).vertices
    for (let v = 0; v < a.length; v += 3) sum += Math.hypot((a[v] as number) - (b[v] as number), (a[v + 1] as number) - (b[v + 1] as number), (a[v + 2] as number) - (b[v + 2] as number))
  }
  return (100 * sum) / (frames * (body.vTemplate.length / 3))
}

/** The angle (radians) of the twist factor about unit axis `u` of the rotation `r` (axis-angle, angle in [0, pi]): r = swing . twist. */
export const twistAngle = (r: ArrayLike<number>, u: ReadonlyArray<number>): number => {
  const angle = Math.hypot(r[0] as number, r[1] as number, r[2] as number)
  if (angle < 1e-12) return 0
  const along = (Math.sin(angle / 2) / angle) * ((r[0] as number) * (u[0] as number) + (r[1] as number) * (u[1] as number) + (r[2] as number) * (u[2] as number))
  return 2 * Math.atan2(Math.abs(along), Math.abs(Math.cos(angle / 2)))
}

/** Per joint: "leaf", "several" children, or the unit rest direction of its one child's bone. */
const boneAxes = (body: BodyArrays64, betas: Float64Array): ReadonlyArray<"leaf" | "several" | ReadonlyArray<number>> => {
  const J = body.parents.length
  const rest = bodyForward64(body, betas, new Float64Array(3 * J), new Float64Array(3), 1).joints
  return body.parents.map((_, joint) => {
    const children = body.parents.flatMap((parent, child) => (parent === joint ? [child] : []))
    if (children.length !== 1) return children.length === 0 ? "leaf" : "several"
    const bone = [0, 1, 2].map((c) => (rest[3 * (children[0] as number) + c] as number) - (rest[3 * joint + c] as number))
    const length = Math.hypot(...bone)
    return length > 0 ? bone.map((b) => b / length) : "leaf"
  })
}

/** Mean (degrees, over joints and frames) of the rotation error that turns no bone beyond its joint (see the header). */
export const meanUnseenRotationDegrees = (body: BodyArrays64, betas: Float64Array, estimated: PosedFrames, truth: PosedFrames): number => {
  const frames = checkFrames(body, estimated, truth)
  const axes = boneAxes(body, betas)
  const J = axes.length
  let sum = 0
  for (let at = 0; at < 3 * J * frames; at += 3) {
    const axis = axes[(at / 3) % J]
    if (axis === undefined || axis === "several") continue
    const triple = (p: ArrayLike<number>) => [0, 1, 2].map((c) => p[at + c] as number)
    const error = matrixToAxisAngle(mul33(transpose33(axisAngleToMatrix(triple(truth.poses))), axisAngleToMatrix(triple(estimated.poses))))
    sum += axis === "leaf" ? Math.hypot(...error) : twistAngle(error, axis)
  }
  return (sum * 180) / Math.PI / (J * frames)
}
