/**
 * The poses a run trained on (refined by stage 1) as a motion. A trained state's poses are its
 * per-frame params "pose" [F, 1, 24, 3] and "transl" [F, 1, 3], plus a pose trajectory's correction
 * when it has one: the caller computes them with src/graphs/avatar/poseTrajectory.ts `trainedPoses`.
 */
import type { Motion } from "./motion.ts"

export interface PerFrameParams {
  readonly params: Readonly<Record<string, { readonly data: ArrayLike<number> }>>
  readonly frameParams: Readonly<Record<string, { readonly data: ArrayLike<number> }>>
}

/** The training poses [frames * 72] and translations [frames * 3] as a motion; undefined when there are none. */
export const trainingMotion = (poses: { readonly pose: Float64Array; readonly transl: Float64Array } | undefined, label: string): Motion | undefined =>
  poses && { file: label, frames: poses.transl.length / 3, fps: undefined, poses: poses.pose, transl: poses.transl, world: { _tag: "Native" } }
