/**
 * The poses a run trained on (refined by stage 1), from a trained state's per-frame params "pose"
 * [F, 1, 24, 3] and "transl" [F, 1, 3], plus a pose trajectory's correction when the state has one
 * (src/graphs/avatar/poseTrajectory.ts).
 */
import { trainedPoses } from "../graphs/avatar/poseTrajectory.ts"
import type { Motion } from "./motion.ts"

export interface PerFrameParams {
  readonly params: Readonly<Record<string, { readonly data: ArrayLike<number> }>>
  readonly frameParams: Readonly<Record<string, { readonly data: ArrayLike<number> }>>
}

/** Undefined when the state has no per-frame poses. */
export const trainingMotion = (state: PerFrameParams, label: string): Motion | undefined => {
  const poses = trainedPoses(state.params, state.frameParams)
  if (poses === undefined) return undefined
  return { file: label, frames: poses.transl.length / 3, fps: undefined, poses: poses.pose, transl: poses.transl, world: { _tag: "Native" } }
}
