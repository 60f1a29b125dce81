/**
 * The real SMPL motion shipped beside the project (../shared/data/original-
 * test-pose/smpl_parms.pth, REFERENCE section 3), read minimally for the body
 * examples: the torch zip holds body_pose as one contiguous float32 storage of
 * 480 x 72 numbers, which is found by its size. (When the project's torch .pth
 * reader lands in src/io, the examples should use it instead.)
 * Falls back to a few hand-written poses where the file is absent.
 */
import { unzipSync } from "fflate"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export const sampleMotionPath = fileURLToPath(new URL("../../shared/data/original-test-pose/smpl_parms.pth", import.meta.url))

const deg = Math.PI / 180

/** A few poses by hand: (joint, axis-angle) pairs on top of the rest pose. */
const handPoses: ReadonlyArray<ReadonlyArray<readonly [number, number, number, number]>> = [
  [],
  [[16, 0, 0, -70 * deg], [17, 0, 0, 70 * deg]],
  [[1, -60 * deg, 0, 0], [4, 90 * deg, 0, 0], [16, 0, 0, -40 * deg], [18, 0, -80 * deg, 0]],
  [[2, -80 * deg, 0, 0], [5, 70 * deg, 0, 0], [12, 20 * deg, 0, 0], [15, 0, 30 * deg, 0]],
  [[3, 20 * deg, 0, 0], [16, 0, 0, 30 * deg], [17, 0, 0, -30 * deg], [19, 0, 90 * deg, 0]]
]

export interface Motion {
  readonly source: string
  /** [frames, 72] axis-angle, global orientation first. */
  readonly poses: Float64Array
  readonly frames: number
}

export const loadMotion = (): Motion => {
  if (existsSync(sampleMotionPath)) {
    const entries = unzipSync(readFileSync(sampleMotionPath))
    const bodyPose = Object.entries(entries).find(([name, bytes]) => /data\/\d+$/.test(name) && bytes.length === 480 * 72 * 4)
    if (bodyPose) {
      const [, bytes] = bodyPose
      const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
      return { source: sampleMotionPath, poses: Float64Array.from(floats), frames: 480 }
    }
  }
  const poses = new Float64Array(handPoses.length * 72)
  handPoses.forEach((pose, f) => pose.forEach(([j, x, y, z]) => poses.set([x, y, z], f * 72 + 3 * j)))
  return { source: "hand-written poses (sample motion not found)", poses, frames: handPoses.length }
}
