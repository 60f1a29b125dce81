/**
 * `gavatar view` (a local web server) and `gavatar export --format web` (the same viewer as a static
 * folder): RUN's avatar, its training poses and the given motions (cli/motion.ts), and anim files
 * (exact mode) made by `gavatar export --format anim`.
 */
import { Effect } from "effect"
import { basename } from "node:path"
import { loadTrainedAvatar, openTrainedRun } from "../avatar/trainedRun.ts"
import { openBody } from "../body/openBody.ts"
import { DatasetError } from "../data/errors.ts"
import { skeletonOf } from "../motion/read.ts"
import { avatarFile, motionFile } from "../viewer/assets.ts"
import type { SiteData } from "../viewer/site.ts"
import { makeSite, serveSite, writeSite } from "../viewer/site.ts"
import { existsSync } from "node:fs"
import type { ViewArgs } from "./args.ts"
import { motionForRun, trainingPosesOf } from "./motion.ts"

export interface ViewerInputs {
  readonly run: string
  readonly poses: ReadonlyArray<string>
  readonly anims: ReadonlyArray<string>
  readonly fps: number
}

export const viewerData = (inputs: ViewerInputs) =>
  Effect.gen(function* () {
    const trained = yield* openTrainedRun(inputs.run)
    const { info, stage } = trained
    const { render, state } = yield* loadTrainedAvatar(inputs.run, trained, info.subject)
    const training = yield* trainingPosesOf(inputs.run, state)
    const skeleton = skeletonOf(trained.choices.body ?? openBody(), info.subject.betas)
    const reference = { pose: training.poses.subarray(0, 72), transl: training.transl.subarray(0, 3) }
    const avatar = yield* avatarFile({ render, state, info, stage, skeleton, reference })
    const motions = [{ name: "training poses", bytes: motionFile("training poses", training, inputs.fps) }]
    for (const file of inputs.poses) {
      const motion = yield* motionForRun(file, trained, inputs.run, state, inputs.fps)
      motions.push({ name: basename(file), bytes: motionFile(basename(file), motion, inputs.fps) })
    }
    for (const file of inputs.anims) if (!existsSync(file)) return yield* new DatasetError({ file, reason: "anim file not found (write one with gavatar export --format anim)" })
    const data: SiteData = { avatar, motions, anims: inputs.anims.map((file) => ({ name: basename(file), file })) }
    return { data, count: state.constants["queryPoints"]?.shape[0] ?? 0, stage }
  })

export const view = (args: ViewArgs) =>
  Effect.gen(function* () {
    const { data, count, stage } = yield* viewerData(args)
    const site = yield* makeSite(data)
    yield* serveSite(site, args.host, args.port, (url) => {
      console.log(`gavatar viewer: stage ${stage}, ${count} Gaussians, ${data.motions.length} motions, ${data.anims.length} anim files`)
      console.log(`open ${url} (Ctrl-C stops the server)`)
    })
  })

export const exportWeb = (inputs: ViewerInputs, dir: string) =>
  Effect.gen(function* () {
    const { data } = yield* viewerData(inputs)
    yield* writeSite(yield* makeSite(data), dir)
    console.log(`viewer written to ${dir}/ (index.html; serve the folder with any static web server)`)
  })
