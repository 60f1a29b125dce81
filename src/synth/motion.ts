/**
 * Motions like the public monocular datasets (People-Snapshot style), as SMPL
 * pose vectors [N, 72] (axis-angle, first 3 = global orientation) and root
 * translations [N, 3]:
 * - training: one full turn in front of the camera in an A-pose, with small
 *   seeded motions of the arms, head, spine and legs;
 * - novel poses, never seen in training: walking on the spot, then raising both arms.
 * Joint axes (rest pose, y up, left = +x, facing +z): hip flexion forward is
 * -x, knee flexion +x; the left arm lowers with -z, the right with +z; the left
 * elbow bends forward with -y, the right with +y.
 */
import type { Rng } from "../math/rng.ts"
import { mul33 } from "../math/matrix.ts"
import { axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"

export interface Motion {
  /** [N * 72] */
  readonly poses: Float64Array
  /** [N * 3] */
  readonly transl: Float64Array
}

/** A-pose: arms about 50 degrees below horizontal, legs slightly apart. */
export const A_POSE_ARM = 0.9

const set = (pose: Float64Array, joint: number, x: number, y: number, z: number): void => {
  pose[3 * joint] = x
  pose[3 * joint + 1] = y
  pose[3 * joint + 2] = z
}

/** Axis-angle of R_x(ax) . R_y(ay) . R_z(az) (z applied first). */
export const eulerXYZ = (ax: number, ay: number, az: number): [number, number, number] =>
  matrixToAxisAngle(mul33(axisAngleToMatrix([ax, 0, 0]), mul33(axisAngleToMatrix([0, ay, 0]), axisAngleToMatrix([0, 0, az]))))

/** An arm lowered by `down` radians from the T-pose, swung forward by `forward`, rotated about itself by `twist`. */
const arm = (pose: Float64Array, side: 1 | -1, down: number, forward: number, elbow: number): void => {
  const joint = side === 1 ? 16 : 17
  set(pose, joint, ...eulerXYZ(-forward, 0, -side * down))
  set(pose, side === 1 ? 18 : 19, 0, -side * elbow, 0)
}

const sinusoid = (rng: Rng) => {
  const phase = 2 * Math.PI * rng.uniform()
  const cycles = 1 + Math.floor(3 * rng.uniform())
  return (t: number, amplitude: number) => amplitude * Math.sin(2 * Math.PI * cycles * t + phase)
}

/** Turning once in an A-pose with small motions; frame i of n at turn fraction i / n. */
export const trainingMotion = (frames: number, rng: Rng): Motion => {
  const poses = new Float64Array(frames * 72)
  const transl = new Float64Array(frames * 3)
  const w = Array.from({ length: 12 }, () => sinusoid(rng))
  for (let i = 0; i < frames; i++) {
    const t = i / frames
    const pose = poses.subarray(72 * i, 72 * i + 72)
    set(pose, 0, 0, t <= 0.5 ? 2 * Math.PI * t : 2 * Math.PI * (t - 1), 0) // the turn, as angles in (-pi, pi]
    set(pose, 1, w[0]!(t, 0.04), 0, 0.06)
    set(pose, 2, w[1]!(t, 0.04), 0, -0.06)
    set(pose, 4, 0.03 + w[2]!(t, 0.03), 0, 0)
    set(pose, 5, 0.03 + w[3]!(t, 0.03), 0, 0)
    set(pose, 6, w[4]!(t, 0.04), w[5]!(t, 0.05), 0)
    set(pose, 15, w[6]!(t, 0.08), w[7]!(t, 0.15), 0)
    arm(pose, 1, A_POSE_ARM + w[8]!(t, 0.1), w[9]!(t, 0.08), 0.1 + w[10]!(t, 0.1))
    arm(pose, -1, A_POSE_ARM + w[9]!(t, 0.1), w[8]!(t, 0.08), 0.1 + w[11]!(t, 0.1))
    transl.set([w[10]!(t, 0.01), 0, w[11]!(t, 0.01)], 3 * i)
  }
  return { poses, transl }
}

const walkingPose = (pose: Float64Array, phase: number, yaw: number): number => {
  const s = Math.sin(phase)
  set(pose, 0, 0, yaw, 0)
  set(pose, 1, -0.45 * s, 0, 0.03)
  set(pose, 2, 0.45 * s, 0, -0.03)
  set(pose, 4, 0.1 + 0.6 * Math.max(0, Math.sin(phase + 0.6)), 0, 0)
  set(pose, 5, 0.1 + 0.6 * Math.max(0, Math.sin(phase + 0.6 + Math.PI)), 0, 0)
  set(pose, 3, 0.05, -0.1 * s, 0)
  arm(pose, 1, 1.25, -0.4 * s, 0.3)
  arm(pose, -1, 1.25, 0.4 * s, 0.3)
  return 0.015 * Math.abs(Math.cos(phase))
}

/** Arms hanging at the sides (radians below the T-pose), where raising them starts: lower than any training A-pose. */
const ARMS_DOWN = 1.35
/** Raised arms, radians above the T-pose: the hands stay inside the training camera's frame. */
const ARMS_UP = 0.7

const raisingArmsPose = (pose: Float64Array, progress: number, yaw: number): void => {
  const p = 0.5 - 0.5 * Math.cos(Math.PI * progress)
  set(pose, 0, 0, yaw, 0)
  set(pose, 1, 0, 0, 0.3) // a wide stance
  set(pose, 2, 0, 0, -0.3)
  set(pose, 9, -0.15 * p, 0, 0)
  set(pose, 15, -0.2 * p, 0, 0)
  const down = ARMS_DOWN - (ARMS_DOWN + ARMS_UP) * p
  arm(pose, 1, down, 0.2 * Math.sin(Math.PI * p), 0.5 * Math.sin(Math.PI * p))
  arm(pose, -1, down, 0.2 * Math.sin(Math.PI * p), 0.5 * Math.sin(Math.PI * p))
}

/** Walking on the spot (first half of the frames), then raising both arms from the sides to above the head in a wide stance. */
export const novelPoseMotion = (frames: number): Motion => {
  const poses = new Float64Array(frames * 72)
  const transl = new Float64Array(frames * 3)
  const walking = Math.ceil(frames / 2)
  for (let i = 0; i < frames; i++) {
    const pose = poses.subarray(72 * i, 72 * i + 72)
    if (i < walking) {
      const t = walking > 1 ? i / (walking - 1) : 0
      transl[3 * i + 1] = walkingPose(pose, 3 * Math.PI * t, -1.3 + t) // seen from the side, turning towards the camera
    } else {
      const rest = frames - walking
      const t = rest > 1 ? (i - walking) / (rest - 1) : 1
      raisingArmsPose(pose, t, 0.4 - 0.8 * t)
    }
  }
  return { poses, transl }
}
