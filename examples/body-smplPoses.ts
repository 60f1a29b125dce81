/**
 * The real SMPL motion shipped beside the project (../shared/data/original-
 * test-pose/smpl_parms.pth: 480 frames of the original GaussianAvatar release, MIT), read with src/io's torch
 * reader. Falls back to a few hand-written poses where the file is absent.
 */
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { NdArray } from "../src/io/ndarray.ts"
import { toFloat64 } from "../src/io/ndarray.ts"
import { readTorch } from "../src/io/torch.ts"

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

export const loadMotion = async (): Promise<Motion> => {
  if (existsSync(sampleMotionPath)) {
    const dict = await Effect.runPromise(readTorch(sampleMotionPath))
    const bodyPose = dict instanceof Map ? (dict.get("body_pose") as NdArray | undefined) : undefined
    if (bodyPose && bodyPose.shape[1] === 72) return { source: sampleMotionPath, poses: toFloat64(bodyPose), frames: bodyPose.shape[0] as number }
  }
  const poses = new Float64Array(handPoses.length * 72)
  handPoses.forEach((pose, f) => pose.forEach(([j, x, y, z]) => poses.set([x, y, z], f * 72 + 3 * j)))
  return { source: "hand-written poses (sample motion not found)", poses, frames: handPoses.length }
}
