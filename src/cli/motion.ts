/**
 * The motion a command animates RUN's avatar with: any motion file (src/motion), resampled to the
 * command's frame rate, retargeted onto the run's body (BVH) and placed where the training subject
 * stood in its first frame (y-up motions: AMASS, BVH); a motion of the data's own world whose first
 * pelvis the training camera does not see (behind it or outside the image) is moved there too.
 * Without a file: the run's training poses.
 */
import { Effect } from "effect"
import type { TrainedRun } from "../avatar/trainedRun.ts"
import { DatasetError } from "../data/errors.ts"
import type { Motion } from "../motion/motion.ts"
import type { Anchor } from "../motion/place.ts"
import { placeMotion, reanchor } from "../motion/place.ts"
import { readMotion, skeletonOf } from "../motion/read.ts"
import type { PerFrameParams } from "../motion/training.ts"
import { trainingMotion } from "../motion/training.ts"
import { trainedPoses } from "../graphs/avatar/poseTrajectory.ts"
import { openBody } from "../body/openBody.ts"

/** Whether the training camera sees a world point in front of it and inside its image. */
const seen = (run: TrainedRun, point: ArrayLike<number>): boolean => {
  const e = run.info.extrinsic
  const k = run.info.subject.intrinsic
  const cam = [0, 1, 2].map((r) => (e[4 * r] as number) * (point[0] as number) + (e[4 * r + 1] as number) * (point[1] as number) + (e[4 * r + 2] as number) * (point[2] as number) + (e[4 * r + 3] as number)) as [number, number, number]
  if (cam[2] <= 0.05) return false
  const u = (k[0] as number) * (cam[0] / cam[2]) + (k[2] as number)
  const v = (k[4] as number) * (cam[1] / cam[2]) + (k[5] as number)
  return u >= 0 && v >= 0 && u <= run.info.subject.width && v <= run.info.subject.height
}

export const trainingPosesOf = (run: string, state: PerFrameParams) =>
  Effect.fromNullable(trainingMotion(trainedPoses(state.params, state.frameParams), `${run} (training poses)`)).pipe(
    Effect.mapError(() => new DatasetError({ file: run, reason: "the checkpoint holds no training poses: give a motion file" }))
  )

/** The motion of `file` (or the training poses) ready to render with RUN's avatar at `fps`. */
export const motionForRun = (file: string | undefined, run: TrainedRun, runFolder: string, state: PerFrameParams, fps: number): Effect.Effect<Motion, DatasetError> =>
  Effect.gen(function* () {
    const training = yield* trainingPosesOf(runFolder, state)
    if (file === undefined) return training
    const skeleton = skeletonOf(run.choices.body ?? openBody(), run.info.subject.betas)
    const anchor: Anchor = { pose: training.poses.subarray(0, 3), transl: training.transl.subarray(0, 3) }
    const motion = placeMotion(yield* readMotion(file, { fps, skeleton }), anchor)
    const pelvis = [0, 1, 2].map((c) => (skeleton.restJoints[c] as number) + (motion.transl[c] as number))
    return seen(run, pelvis) ? motion : reanchor(motion, anchor)
  })
