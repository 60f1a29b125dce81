/** What eval and render need from a trained run folder: its latest stage and the graph choices it was trained with. */
import { Effect, Option } from "effect"
import { loadBody } from "../avatar/body.ts"
import type { RunInfo } from "../avatar/runFolder.ts"
import { latestStage, RunFolderError, stageDir } from "../avatar/runFolder.ts"
import type { AvatarChoices, Stage } from "../graphs/avatar/avatar.ts"
import { defaultChoices } from "../graphs/avatar/avatar.ts"

/** RUN's latest stage with a checkpoint, or a RunFolderError. */
export const trainedStage = (run: string): Effect.Effect<Stage, RunFolderError> =>
  Option.match(latestStage(run), {
    onNone: () => Effect.fail(new RunFolderError({ file: stageDir(run, 1), reason: "no checkpoint in stage1/ or stage2/: train first" })),
    onSome: Effect.succeed
  })

/** The stage's choices as run.json records them: preset and body. */
export const runChoices = (info: RunInfo, stage: Stage) => Effect.map(loadBody(info.body), (body): AvatarChoices => ({ ...defaultChoices(stage), preset: info.preset, body }))
