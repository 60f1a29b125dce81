/**
 * Any motion file, from its name and bytes (no file system: the web viewer parses dropped files
 * with the same code): `.bvh` (retargeted onto the avatar's skeleton), `.npz` (a pose file, a
 * GaussianAvatar split's smpl_parms.npz, or AMASS), `.pth` (a GaussianAvatar split's
 * smpl_parms.pth). Motions with a frame rate of their own are resampled to `options.fps`.
 * Errors are DatasetErrors naming the file (and the key or line).
 */
import { Effect } from "effect"
import { dictLookup } from "../data/arrays.ts"
import { DatasetError, fromIoError } from "../data/errors.ts"
import { parseNpz } from "../io/npz.ts"
import { parseTorch } from "../io/torch.ts"
import { BvhSyntaxError, parseBvh } from "./bvh.ts"
import type { Motion, MotionOptions } from "./motion.ts"
import { motionFromKeys } from "./poseKeys.ts"
import { resample } from "./resample.ts"
import { retargetBvh } from "./retarget.ts"

export const MOTION_EXTENSIONS = [".npz", ".pth", ".bvh"] as const

const bvhMotion = (file: string, bytes: Uint8Array, options: MotionOptions): Effect.Effect<Motion, DatasetError> =>
  Effect.try({
    try: () => retargetBvh(parseBvh(new TextDecoder().decode(bytes)), options.skeleton, file),
    catch: (e) => (e instanceof DatasetError ? e : new DatasetError({ file, reason: e instanceof BvhSyntaxError ? e.message : `not a BVH file: ${String(e)}` }))
  })

const keyedMotion = (file: string, bytes: Uint8Array): Effect.Effect<Motion, DatasetError> =>
  file.endsWith(".npz")
    ? Effect.flatMap(Effect.mapError(parseNpz(bytes, file), fromIoError), (npz) => motionFromKeys({ file, keys: npz.keys, lookup: npz.get }))
    : Effect.flatMap(Effect.mapError(parseTorch(bytes, file), fromIoError), (dict) =>
        motionFromKeys({ file, keys: dict instanceof Map ? [...dict.keys()].map(String) : [], lookup: dictLookup(file, dict) })
      )

/** A DatasetError unless the file's extension is one gavatar reads. */
export const checkMotionName = (file: string): Effect.Effect<void, DatasetError> =>
  MOTION_EXTENSIONS.some((e) => file.toLowerCase().endsWith(e)) ? Effect.void : Effect.fail(new DatasetError({ file, reason: `not a motion file: gavatar reads ${MOTION_EXTENSIONS.join(", ")}` }))

export const parseMotion = (file: string, bytes: Uint8Array, options: MotionOptions): Effect.Effect<Motion, DatasetError> =>
  Effect.flatMap(checkMotionName(file), () => {
    const motion = file.toLowerCase().endsWith(".bvh") ? bvhMotion(file, bytes, options) : keyedMotion(file, bytes)
    return Effect.map(motion, (m) => resample(m, options.fps))
  })
