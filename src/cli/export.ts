/**
 * `gavatar export`: RUN's avatar as a splat file other tools read: the standard 3DGS .ply, the
 * 32-byte .splat, or .spz (written by Spark), posed at a frame of a motion (default: the first
 * training frame, with the pose stage 1 refined) or in canonical space; or the viewer's anim file
 * (every frame of a motion through the full graph) or the viewer as a static folder (view.ts).
 */
import { Effect } from "effect"
import { statSync } from "node:fs"
import { writeBytes } from "../io/atomic.ts"
import { basename } from "node:path"
import { writeAnim } from "../viewer/assets.ts"
import { exportWeb } from "./view.ts"
import type { AvatarPose } from "../avatar/gaussians.ts"
import { avatarGaussians } from "../avatar/gaussians.ts"
import { DatasetError } from "../data/errors.ts"
import type { Motion } from "../motion/motion.ts"
import type { GaussianCloud } from "../io/splat/cloud.ts"
import { IoError } from "../io/errors.ts"
import { encodePly } from "../io/splat/ply.ts"
import { encodeSplat } from "../io/splat/splat.ts"
import { encodeSpz } from "../io/splat/spz.ts"
import type { ExportArgs, SplatFormat } from "./args.ts"
import { loadTrainedAvatar, openTrainedRun } from "../avatar/trainedRun.ts"
import { motionForRun } from "./motion.ts"

const frameOf = (motion: Motion, frame: number): Effect.Effect<AvatarPose, DatasetError> =>
  frame < motion.frames
    ? Effect.succeed({ pose: motion.poses.subarray(72 * frame, 72 * frame + 72), transl: motion.transl.subarray(3 * frame, 3 * frame + 3) })
    : Effect.fail(new DatasetError({ file: motion.file, reason: `--frame ${frame} is past the motion's ${motion.frames} frames` }))

const encode = (format: SplatFormat, file: string, cloud: GaussianCloud, shRest: boolean): Effect.Effect<Uint8Array, IoError> => {
  switch (format._tag) {
    case "Ply":
      return Effect.succeed(encodePly(cloud, { shRest }))
    case "Splat":
      return Effect.succeed(encodeSplat(cloud))
    case "Spz":
      return encodeSpz(file, cloud)
  }
}

/** Whole or not at all: a full disk leaves no cut file (src/io/atomic.ts). */
const writeFile = (file: string, bytes: Uint8Array) => writeBytes(file, bytes)

const exportSplats = (args: ExportArgs, format: SplatFormat) =>
  Effect.gen(function* () {
    const trained = yield* openTrainedRun(args.run)
    const { info } = trained
    const { render, state } = yield* loadTrainedAvatar(args.run, trained, info.subject)
    const motion = yield* motionForRun(args.poses, trained, args.run, state, args.fps)
    const pose = yield* frameOf(motion, args.frame)
    const cloud = yield* avatarGaussians(render, state, info.subject.betas, pose, args.canonical ? { _tag: "Canonical" } : { _tag: "Posed" })
    const bytes = yield* encode(format, args.out, cloud, args.shRest)
    yield* writeFile(args.out, bytes)
    const where = args.canonical ? "canonical space" : `frame ${args.frame} of ${motion.file}`
    console.log(`${cloud.count} Gaussians (${where}, stage ${trained.stage}) written to ${args.out} (${bytes.length} bytes)`)
  })

/** The exact mode's anim file: every frame of the motion through the full graph. */
const exportAnim = (args: ExportArgs) =>
  Effect.gen(function* () {
    const trained = yield* openTrainedRun(args.run)
    const { info } = trained
    const { render, state } = yield* loadTrainedAvatar(args.run, trained, info.subject)
    const motion = yield* motionForRun(args.poses, trained, args.run, state, args.fps)
    yield* writeAnim(args.out, basename(args.poses ?? "training poses"), render, state, info.subject.betas, motion, args.fps)
    console.log(`${motion.frames} frames (stage ${trained.stage}) written to ${args.out} (${statSync(args.out).size} bytes)`)
  })

/** `gavatar export`: a splat file, an anim file or the web viewer. */
export const exportCommand = (args: ExportArgs) => {
  switch (args.format._tag) {
    case "Anim":
      return exportAnim(args)
    case "Web":
      return exportWeb({ run: args.run, poses: args.motions, anims: args.anims, fps: args.fps }, args.out)
    default:
      return exportSplats(args, args.format)
  }
}
