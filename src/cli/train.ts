/**
 * `gavatar train`: opens the dataset (any layout, src/avatar/datasets.ts) and the body model (open or
 * the user's SMPL file), writes RUN/run.json, then trains stage 1 and/or stage 2 with run()'s
 * checkpoints in RUN/stage1 and RUN/stage2, so that a second call resumes where the first stopped
 * (and returns at once when both are done). A run keeps its dataset, preset and body (src/avatar/runRules.ts).
 */
import { Effect, Option } from "effect"
import { join } from "node:path"
import { describeBody, loadBody } from "../body/choice.ts"
import { openTrainingData } from "../avatar/datasets.ts"
import { loadLpips } from "../avatar/lpips.ts"
import { readRunInfo, RunFolderError, stageDir, writeRunInfo } from "../avatar/runFolder.ts"
import { bodyFor, presetFor, runInfo, selectionFor, stage1From } from "../avatar/runRules.ts"
import { checkTrainingMemory, gib } from "../avatar/memoryEstimate.ts"
import { avatarBuilder, bodyModelOf, checkBothStages, defaultChoices, subjectOf } from "../graphs/avatar/avatar.ts"
import { checkBodyInView } from "../avatar/bodyInView.ts"
import { checkOutputFolder } from "../io/outputFolder.ts"
import { checkpointFile, run } from "../runtime/run.ts"
import type { TrainedState } from "../runtime/state.ts"
import type { TrainArgs } from "./args.ts"

export const train = (args: TrainArgs) =>
  Effect.gen(function* () {
    yield* checkOutputFolder(args.out)
    const previous = yield* readRunInfo(args.out)
    const selection = yield* selectionFor(args, previous)
    const data = yield* openTrainingData(args.data, selection)
    if (Option.isSome(previous) && previous.value.data.folder !== data.folder)
      return yield* new RunFolderError({ file: join(args.out, "run.json"), reason: `this run trains on ${previous.value.data.folder}, not ${data.folder}: use another --out` })
    const preset = yield* presetFor(args, previous)
    const bodyChoice = yield* bodyFor(args, previous)
    const body = yield* loadBody(bodyChoice)
    const subject = yield* subjectOf(data.dataset)
    const memory = yield* checkTrainingMemory(preset, body, subject, args.stages, args.backend)
    const first = yield* data.dataset.sample(0)
    yield* checkBodyInView(data.folder, data.dataset, bodyModelOf(body), first)
    yield* checkBothStages({ ...defaultChoices(1), preset, body }, subject)
    yield* writeRunInfo(args.out, runInfo(preset, bodyChoice, { ...data, selection }, subject, first.tensors["extrinsic"]?.data ?? []))
    console.log(`${data.layout} dataset ${data.folder}: ${data.dataset.size} frames of ${subject.width}x${subject.height}; preset ${preset.name}; ${describeBody(bodyChoice)}; run folder ${args.out}`)
    if (memory) console.log(`memory: about ${gib(memory.heapBytes)} of tensors${args.backend === "wasm" ? " in the WebAssembly heap (limit 4 GiB)" : ""}, ${gib(memory.rssBytes)} in all (estimated from the sizes)`)
    const lpips = yield* loadLpips(args.lpips)
    let stage1: TrainedState | undefined
    if (args.stages.includes(1)) {
      stage1 = yield* run(avatarBuilder({ ...defaultChoices(1), preset, body, lpips }), data.dataset, { checkpointDir: stageDir(args.out, 1) })
      console.log(`stage 1: step ${stage1.step}, checkpoint ${checkpointFile(stageDir(args.out, 1))}`)
    }
    if (args.stages.includes(2)) {
      const initFrom = stage1 ?? (yield* stage1From(args, { ...defaultChoices(1), preset, body }, subject))
      const stage1Steps = preset.epochs.stage1 * Math.ceil(data.dataset.size / preset.batchSize)
      if (initFrom.step < stage1Steps)
        console.log(`warning: stage 1 in ${stageDir(args.out, 1)} stopped at step ${initFrom.step} of ${stage1Steps}; stage 2 starts from it as it is (--stage 1 finishes it first)`)
      // Stage 2 continues stage 1's scale warm-up from the iterations stage 1 ran.
      const builder = avatarBuilder({ ...defaultChoices(2), preset, body, lpips, stage1Iterations: initFrom.step })
      const stage2 = yield* run(builder, data.dataset, { checkpointDir: stageDir(args.out, 2), initFrom })
      console.log(`stage 2: step ${stage2.step}, checkpoint ${checkpointFile(stageDir(args.out, 2))}`)
    }
  })
