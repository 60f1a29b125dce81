/**
 * `gavatar eval`: RUN's latest stage rebuilt from run.json with the split's own camera (its
 * intrinsics and image size), every frame rendered with the split's body fit and scored.
 */
import { Effect } from "effect"
import { join } from "node:path"
import { evaluateSplit } from "../avatar/evaluate.ts"
import { loadLpips } from "../avatar/lpips.ts"
import { subjectOf } from "../graphs/avatar/avatar.ts"
import { readGaussianAvatar } from "../data/gaussian-avatar.ts"
import type { EvalArgs } from "./args.ts"
import { loadTrainedAvatar, openTrainedRun } from "../avatar/trainedRun.ts"
import { checkRenderSize, outOfMemory } from "../avatar/renderMemory.ts"
import { checkOutputFolder } from "../io/outputFolder.ts"

export const evaluate = (args: EvalArgs) =>
  Effect.gen(function* () {
    yield* checkOutputFolder(args.out)
    const trained = yield* openTrainedRun(args.run)
    const { info, stage } = trained
    const split = yield* readGaussianAvatar(args.split)
    const camera = yield* subjectOf(split, stage)
    yield* checkRenderSize(camera.width, camera.height, args.backend)
    const { render, state } = yield* loadTrainedAvatar(args.run, trained, { ...camera, betas: info.subject.betas })
    const lpips = yield* loadLpips(args.lpips)
    const evaluation = yield* evaluateSplit(render, state, split, args.out, lpips).pipe(outOfMemory(camera.width, camera.height))
    const perceptual = evaluation.mean.lpips === undefined ? "" : `, LPIPS ${evaluation.mean.lpips.toFixed(4)}`
    console.log(`stage ${stage} (step ${state.step}) on ${split.name}: ${split.size} frames, PSNR ${evaluation.mean.psnr.toFixed(2)} dB (inside the mask ${evaluation.mean.maskedPsnr.toFixed(2)} dB), SSIM ${evaluation.mean.ssim.toFixed(4)}${perceptual}`)
    console.log(`wrote ${join(args.out, "metrics.json")}, ${join(args.out, "renders")}/, ${join(args.out, "frames")}/ (ground truth | render | error)`)
    return evaluation
  })
