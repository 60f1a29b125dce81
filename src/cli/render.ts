/**
 * `gavatar render`: RUN's latest stage posed by any motion (cli/motion.ts), seen from the chosen camera,
 * written as PNG frames and an MP4 (ffmpeg bundled with gavatar, else on the PATH; src/video/ffmpeg.ts).
 */
import { Effect } from "effect"
import { writeAnimation } from "../avatar/animation.ts"
import { avatarGraphs } from "../graphs/avatar/avatar.ts"
import { motionForRun } from "./motion.ts"
import type { RenderArgs } from "./args.ts"
import { resolveCamera } from "./camera.ts"
import { checkRenderSize, outOfMemory } from "../avatar/renderMemory.ts"
import { checkOutputFolder } from "../io/outputFolder.ts"
import { loadTrainedAvatar, openTrainedRun } from "../avatar/trainedRun.ts"

export const render = (args: RenderArgs) =>
  Effect.gen(function* () {
    yield* checkOutputFolder(args.out)
    const trained = yield* openTrainedRun(args.run)
    const { info, stage } = trained
    const { state } = yield* loadTrainedAvatar(args.run, trained, info.subject)
    const sequence = yield* motionForRun(args.poses, trained, args.run, state, args.fps)
    const camera = yield* resolveCamera(args.camera, args.intrinsics, args.size, info, sequence)
    yield* checkRenderSize(camera.width, camera.height, args.backend)
    const { render } = avatarGraphs(trained.choices, { betas: info.subject.betas, intrinsic: camera.intrinsic, width: camera.width, height: camera.height })
    const frames = camera.extrinsics.map((extrinsic, i) => ({ pose: sequence.poses.subarray(72 * i, 72 * i + 72), transl: sequence.transl.subarray(3 * i, 3 * i + 3), extrinsic }))
    const result = yield* writeAnimation(render, state, info.subject.betas, frames, args.out, args.fps).pipe(outOfMemory(camera.width, camera.height))
    console.log(`stage ${stage} (step ${state.step}): ${result.frames.length} frames of ${camera.width}x${camera.height} in ${result.frameDir}/`)
    if (result.video._tag === "Written") console.log(`video: ${result.video.file}`)
    else console.log(`no MP4: ${result.video.reason}; the PNG frames are kept`)
    return result
  })
