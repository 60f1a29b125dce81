/**
 * A motion resampled to another frame rate: frame k of the result is at time k / fps of the source
 * (from 0 to its last frame), each joint's rotation interpolated along the shorter great arc between
 * the two source frames around it (quaternion slerp), translations linearly.
 */
import { axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"
import { matrixToQuaternion, quaternionToMatrix } from "../math/quaternion.ts"
import type { Motion } from "./motion.ts"
import { SMPL_POSE_SIZE } from "./motion.ts"

type Quaternion = readonly [number, number, number, number]

const quaternionOf = (poses: Float64Array, at: number): Quaternion => matrixToQuaternion(axisAngleToMatrix(poses, at))

export const slerp = (a: Quaternion, b0: Quaternion, t: number): Quaternion => {
  let dot = a[0] * b0[0] + a[1] * b0[1] + a[2] * b0[2] + a[3] * b0[3]
  const b = dot < 0 ? (b0.map((v) => -v) as unknown as Quaternion) : b0
  dot = Math.abs(dot)
  if (dot > 0.9995) {
    const q = a.map((v, k) => v + t * ((b[k] as number) - v))
    const n = Math.hypot(...q)
    return q.map((v) => v / n) as unknown as Quaternion
  }
  const theta = Math.acos(dot)
  const wa = Math.sin((1 - t) * theta) / Math.sin(theta)
  const wb = Math.sin(t * theta) / Math.sin(theta)
  return a.map((v, k) => wa * v + wb * (b[k] as number)) as unknown as Quaternion
}

/** The motion at `fps`; unchanged when it has no rate of its own or already has this one. */
export const resample = (motion: Motion, fps: number): Motion => {
  if (motion.fps === undefined || Math.abs(motion.fps - fps) < 1e-9) return motion
  const duration = (motion.frames - 1) / motion.fps
  const frames = Math.floor(duration * fps + 1e-9) + 1
  const poses = new Float64Array(frames * SMPL_POSE_SIZE)
  const transl = new Float64Array(frames * 3)
  for (let k = 0; k < frames; k++) {
    const source = (k / fps) * motion.fps
    const i = Math.min(Math.floor(source + 1e-9), motion.frames - 1)
    const next = Math.min(i + 1, motion.frames - 1)
    const t = Math.max(0, source - i)
    for (let j = 0; j < SMPL_POSE_SIZE / 3; j++) {
      const q = t < 1e-9 ? quaternionOf(motion.poses, i * SMPL_POSE_SIZE + 3 * j) : slerp(quaternionOf(motion.poses, i * SMPL_POSE_SIZE + 3 * j), quaternionOf(motion.poses, next * SMPL_POSE_SIZE + 3 * j), t)
      poses.set(t < 1e-9 ? motion.poses.subarray(i * SMPL_POSE_SIZE + 3 * j, i * SMPL_POSE_SIZE + 3 * j + 3) : matrixToAxisAngle(quaternionToMatrix(...q)), k * SMPL_POSE_SIZE + 3 * j)
    }
    for (let c = 0; c < 3; c++) transl[3 * k + c] = (1 - t) * (motion.transl[3 * i + c] as number) + t * (motion.transl[3 * next + c] as number)
  }
  return { ...motion, frames, fps, poses, transl }
}
