/**
 * A pose sequence to animate an avatar with, from an .npz file: `transl` (or `trans`) [N, 3] and
 * either `body_pose` [N, 72] (global orientation first), `global_orient` [N, 3] + `body_pose` [N, 69],
 * or `thetas` [N, 72]. A missing or misshapen key is a DatasetError naming the file and the keys it has.
 */
import { Effect } from "effect"
import type { NdArray } from "../io/ndarray.ts"
import { toFloat64 } from "../io/ndarray.ts"
import { readNpz } from "../io/npz.ts"
import { fromIoError } from "../data/recording.ts"
import { DatasetError } from "../data/errors.ts"

export interface PoseSequence {
  readonly file: string
  readonly frames: number
  /** [N * 72] SMPL axis-angle, global orientation first. */
  readonly poses: Float64Array
  /** [N * 3] */
  readonly transl: Float64Array
}

export const POSE_KEYS = "transl [N, 3] with body_pose [N, 72], or global_orient [N, 3] + body_pose [N, 69], or thetas [N, 72]"

export const readPoseSequence = (file: string): Effect.Effect<PoseSequence, DatasetError> =>
  Effect.gen(function* () {
    const npz = yield* Effect.mapError(readNpz(file), fromIoError)
    const bad = (why: string) => new DatasetError({ file, reason: `${why}; a pose file needs ${POSE_KEYS} (it has: ${npz.keys.join(", ") || "no arrays"})` })
    const get = (key: string) => Effect.mapError(npz.get(key), fromIoError)
    const rows = (a: NdArray, width: number, key: string) =>
      a.shape.length === 2 && a.shape[1] === width ? Effect.succeed(toFloat64(a)) : Effect.fail(bad(`[${key}] has shape [${a.shape.join(", ")}], expected [N, ${width}]`))
    const translKey = npz.has("transl") ? "transl" : npz.has("trans") ? "trans" : undefined
    if (!translKey) return yield* bad("no transl")
    const transl = yield* rows(yield* get(translKey), 3, translKey)
    const frames = transl.length / 3
    let poses: Float64Array
    if (npz.has("global_orient")) {
      if (!npz.has("body_pose")) return yield* bad("global_orient without body_pose")
      const orient = yield* rows(yield* get("global_orient"), 3, "global_orient")
      const body = yield* rows(yield* get("body_pose"), 69, "body_pose")
      poses = new Float64Array(72 * (orient.length / 3))
      for (let i = 0; i < orient.length / 3; i++) {
        poses.set(orient.subarray(3 * i, 3 * i + 3), 72 * i)
        poses.set(body.subarray(69 * i, 69 * i + 69), 72 * i + 3)
      }
    } else if (npz.has("body_pose") || npz.has("thetas")) {
      const key = npz.has("body_pose") ? "body_pose" : "thetas"
      poses = yield* rows(yield* get(key), 72, key)
    } else return yield* bad("no body_pose or thetas")
    if (poses.length / 72 !== frames) return yield* bad(`${poses.length / 72} poses but ${frames} translations`)
    if (frames === 0) return yield* bad("no frames")
    if (![...poses, ...transl].every(Number.isFinite)) return yield* bad("non-finite values")
    return { file, frames, poses, transl }
  })
