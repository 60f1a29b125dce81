/**
 * A motion the demo never uses, for measuring `gavatar prepare` against the truth: the person turns
 * once round on the spot (yaw 0 -> 2 pi over the frames) while moving the arms: both arms swing
 * between hanging by the sides and raised above the horizontal, out of phase, swinging forward and
 * back and bending the elbows; the head nods and turns a little, the knees bend slightly.
 * Joint axes as motion.ts: the left arm lowers with -z (about its shoulder), the right with +z.
 */
import type { Motion } from "./motion.ts"
import { eulerXYZ } from "./motion.ts"

const set = (pose: Float64Array, joint: number, angles: readonly [number, number, number]): void => pose.set(angles, 3 * joint)

/** Radians below the T-pose: 1.3 is arms by the sides, -0.4 raised above the horizontal. */
const armDown = (phase: number): number => 0.45 + 0.85 * Math.cos(phase)

export const turnWithArmsMotion = (frames: number): Motion => {
  const poses = new Float64Array(frames * 72)
  const transl = new Float64Array(frames * 3)
  for (let i = 0; i < frames; i++) {
    const t = frames > 1 ? i / frames : 0
    const pose = poses.subarray(72 * i, 72 * i + 72)
    const yaw = 2 * Math.PI * t
    set(pose, 0, [0, yaw <= Math.PI ? yaw : yaw - 2 * Math.PI, 0])
    const a = 4 * Math.PI * t
    set(pose, 1, [-0.05 * Math.sin(a), 0, 0.08])
    set(pose, 2, [0.05 * Math.sin(a), 0, -0.08])
    set(pose, 4, [0.1 + 0.08 * Math.sin(a), 0, 0])
    set(pose, 5, [0.1 - 0.08 * Math.sin(a), 0, 0])
    set(pose, 15, [0.12 * Math.sin(2 * a), 0.25 * Math.sin(a), 0])
    set(pose, 16, eulerXYZ(-0.35 * Math.sin(a + 1), 0, -armDown(a)))
    set(pose, 17, eulerXYZ(-0.35 * Math.sin(a + 2), 0, armDown(a + Math.PI)))
    set(pose, 18, [0, -(0.2 + 0.5 * (0.5 + 0.5 * Math.sin(a))), 0])
    set(pose, 19, [0, 0.2 + 0.5 * (0.5 - 0.5 * Math.sin(a)), 0])
    transl.set([0.03 * Math.sin(a / 2), 0, 0.03 * Math.cos(a / 2)], 3 * i)
  }
  return { poses, transl }
}
