/** What eval and render need from a trained run folder: its latest stage and the graph choices it was trained with. */
import { Effect, Option } from "effect"
import { loadBody } from "../avatar/body.ts"
import type { RunInfo } from "../avatar/runFolder.ts"
import { checkpointStep, latestStage, RunFolderError, stageDir } from "../avatar/runFolder.ts"
import type { AvatarChoices, Stage } from "../graphs/avatar/avatar.ts"
import { defaultChoices } from "../graphs/avatar/avatar.ts"
import { checkpointFile } from "../runtime/run.ts"

/** RUN's latest stage with a checkpoint, or a RunFolderError. */
export const trainedStage = (run: string): Effect.Effect<Stage, RunFolderError> =>
  Option.match(latestStage(run), {
    onNone: () => Effect.fail(new RunFolderError({ file: stageDir(run, 1), reason: "no checkpoint in stage1/ or stage2/: train first" })),
    onSome: Effect.succeed
  })

/** The stage's choices as the run folder records them: preset and body (run.json), stage 1's iterations (its checkpoint). */
export const runChoices = (run: string, info: RunInfo, stage: Stage) =>
  Effect.gen(function* () {
    const body = yield* loadBody(info.body)
    const stage1Iterations = stage === 2 ? Option.getOrUndefined(yield* checkpointStep(checkpointFile(stageDir(run, 1)))) : undefined
    const choices: AvatarChoices = { ...defaultChoices(stage), preset: info.preset, body, stage1Iterations }
    return choices
  })
