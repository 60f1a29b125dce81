/**
 * Pose arrays found by key in an .npz or torch dict:
 *   - a pose file: `transl` (or `trans`) [N, 3] with `body_pose` [N, 72] (global orientation first),
 *     or `global_orient` [N, 3] + `body_pose` [N, 69], or `thetas` [N, 72]; a GaussianAvatar split's
 *     `smpl_parms.pth|npz` is one (body_pose [N, 72], trans [N, 3], beta);
 *   - AMASS: `poses` [N, 156] (SMPL-H) or [N, 165] (SMPL-X), `trans` [N, 3] and `mocap_framerate`
 *     (or `mocap_frame_rate`): the first 66 numbers are SMPL's joints 0..21, the hands stay at rest;
 *     AMASS's world is z-up, turned here to y-up (x, y, z) -> (x, z, -y).
 * Errors name the file and the key: a missing key (with the keys the file has), a wrong shape, a
 * non-finite value.
 */
import { Effect } from "effect"
import type { ArrayLookup } from "../data/arrays.ts"
import { checkedArray } from "../data/arrays.ts"
import { DatasetError } from "../data/errors.ts"
import { axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"
import { mul33, mulVec33 } from "../math/matrix.ts"
import type { Motion } from "./motion.ts"
import { SMPL_POSE_SIZE } from "./motion.ts"

export const POSE_KEYS = "transl [N, 3] with body_pose [N, 72], or global_orient [N, 3] + body_pose [N, 69], or thetas [N, 72]; or AMASS poses [N, 156|165] with trans and mocap_framerate"

export interface KeyedArrays {
  readonly file: string
  readonly keys: ReadonlyArray<string>
  readonly lookup: ArrayLookup
}

const has = (source: KeyedArrays, key: string) => source.keys.includes(key)

const missing = (source: KeyedArrays, why: string) =>
  new DatasetError({ file: source.file, reason: `${why}; a pose file needs ${POSE_KEYS} (it has: ${source.keys.join(", ") || "no arrays"})` })

/** Rows of `width` from key, checked for shape and finite values. */
const rows = (source: KeyedArrays, key: string, widths: ReadonlyArray<number>, frames: number | null = null) =>
  Effect.map(checkedArray(source.file, source.lookup, key, widths.map((w) => [frames, w])), (a) => ({ width: a.shape[1] as number, data: a.data }))

/** AMASS's z-up world in ours: a quarter turn about x, (x, y, z) -> (x, z, -y). */
const Z_UP_TO_Y_UP = Float64Array.of(1, 0, 0, 0, 0, 1, 0, -1, 0)

const amass = (source: KeyedArrays) =>
  Effect.gen(function* () {
    const poses = yield* rows(source, "poses", [156, 165])
    const frames = poses.data.length / poses.width
    const trans = yield* rows(source, "trans", [3], frames)
    const rateKey = has(source, "mocap_framerate") ? "mocap_framerate" : "mocap_frame_rate"
    const rate = (yield* checkedArray(source.file, source.lookup, rateKey, [[], [1]])).data[0] as number
    if (!(rate > 0)) return yield* new DatasetError({ file: source.file, reason: `[${rateKey}] must be positive, got ${rate}` })
    const out = new Float64Array(frames * SMPL_POSE_SIZE)
    const transl = new Float64Array(frames * 3)
    for (let i = 0; i < frames; i++) {
      out.set(poses.data.subarray(i * poses.width, i * poses.width + 66), i * SMPL_POSE_SIZE)
      out.set(matrixToAxisAngle(mul33(Z_UP_TO_Y_UP, axisAngleToMatrix(out, i * SMPL_POSE_SIZE))), i * SMPL_POSE_SIZE)
      transl.set(mulVec33(Z_UP_TO_Y_UP, trans.data.subarray(3 * i, 3 * i + 3)), 3 * i)
    }
    const motion: Motion = { file: source.file, frames, fps: rate, poses: out, transl, world: { _tag: "YUp" } }
    return motion
  })

const poseFile = (source: KeyedArrays) =>
  Effect.gen(function* () {
    const translKey = has(source, "transl") ? "transl" : has(source, "trans") ? "trans" : undefined
    if (!translKey) return yield* missing(source, "no transl")
    const transl = (yield* rows(source, translKey, [3])).data
    const frames = transl.length / 3
    if (frames === 0) return yield* new DatasetError({ file: source.file, reason: `[${translKey}] has no frames` })
    let poses: Float64Array
    if (has(source, "global_orient")) {
      if (!has(source, "body_pose")) return yield* missing(source, "global_orient without body_pose")
      const orient = (yield* rows(source, "global_orient", [3], frames)).data
      const body = (yield* rows(source, "body_pose", [69], frames)).data
      poses = new Float64Array(SMPL_POSE_SIZE * frames)
      for (let i = 0; i < frames; i++) {
        poses.set(orient.subarray(3 * i, 3 * i + 3), SMPL_POSE_SIZE * i)
        poses.set(body.subarray(69 * i, 69 * i + 69), SMPL_POSE_SIZE * i + 3)
      }
    } else if (has(source, "body_pose") || has(source, "thetas")) {
      const key = has(source, "body_pose") ? "body_pose" : "thetas"
      poses = (yield* rows(source, key, [SMPL_POSE_SIZE], frames)).data
    } else return yield* missing(source, "no body_pose or thetas")
    const motion: Motion = { file: source.file, frames, fps: undefined, poses, transl, world: { _tag: "Native" } }
    return motion
  })

/** An AMASS file when it has `poses` and a frame rate, else a pose file. */
export const motionFromKeys = (source: KeyedArrays): Effect.Effect<Motion, DatasetError> =>
  has(source, "poses") && (has(source, "mocap_framerate") || has(source, "mocap_frame_rate")) ? amass(source) : poseFile(source)
