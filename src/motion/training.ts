/** The poses a run trained on (refined by stage 1), from a trained state's per-frame params "pose" [F, 1, 24, 3] and "transl" [F, 1, 3]. */
import type { Motion } from "./motion.ts"

export interface PerFrameParams {
  readonly frameParams: Readonly<Record<string, { readonly data: ArrayLike<number> }>>
}

/** Undefined when the state has no per-frame poses. */
export const trainingMotion = (state: PerFrameParams, label: string): Motion | undefined => {
  const pose = state.frameParams["pose"]
  const transl = state.frameParams["transl"]
  if (pose === undefined || transl === undefined) return undefined
  return { file: label, frames: transl.data.length / 3, fps: undefined, poses: Float64Array.from(pose.data), transl: Float64Array.from(transl.data), world: { _tag: "Native" } }
}
