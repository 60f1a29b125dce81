/**
 * A motion to animate an avatar with: SMPL poses (24 joints x axis-angle, each relative to its
 * parent, the global orientation first) and root translations per frame, from any of the readers
 * in this folder. Its world is either the training data's own (`Native`: a dataset's body fit, a
 * pose file made for it) or a y-up world of its own (`YUp`: AMASS after its z-up is turned, BVH
 * captures), which place.ts puts where the avatar was trained to stand.
 */
export type MotionWorld = { readonly _tag: "Native" } | { readonly _tag: "YUp" }

export interface Motion {
  /** Where it came from, for messages. */
  readonly file: string
  readonly frames: number
  /** Frames per second of the poses, when the source says (AMASS, BVH); resampled to the requested rate on reading. */
  readonly fps: number | undefined
  /** [N * 72] */
  readonly poses: Float64Array
  /** [N * 3] metres */
  readonly transl: Float64Array
  readonly world: MotionWorld
}

/** The SMPL joint tree of the avatar the motion drives: parents and rest (T-pose) joint positions [J * 3]. */
export interface Skeleton {
  readonly parents: ReadonlyArray<number>
  readonly restJoints: Float64Array
}

export interface MotionOptions {
  /** Frames per second wanted; motions that carry their own rate are resampled to it. */
  readonly fps: number
  /** BVH retargeting needs the avatar's joint tree (rest poses reconciled, lengths scaled by the leg). */
  readonly skeleton: Skeleton
}

export const SMPL_POSE_SIZE = 72
