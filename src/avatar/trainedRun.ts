/** What eval and render need from a trained run folder: its latest stage, the graph choices it was trained with, and its graphs and trained state. */
import { Effect, Option } from "effect"
import { loadBody } from "../body/choice.ts"
import type { RunInfo } from "./runFolder.ts"
import { checkpointStep, latestStage, loadTrainedState, requireRunInfo, RunFolderError, stageDir } from "./runFolder.ts"
import type { AvatarChoices, AvatarSubject, Stage } from "../graphs/avatar/avatar.ts"
import { avatarGraphs, defaultChoices } from "../graphs/avatar/avatar.ts"

/** RUN's latest stage with a checkpoint, or a RunFolderError. */
const trainedStage = (run: string): Effect.Effect<Stage, RunFolderError> =>
  Option.match(latestStage(run), {
    onNone: () => Effect.fail(new RunFolderError({ file: stageDir(run, 1), reason: "no checkpoint in stage1/ or stage2/: train first" })),
    onSome: Effect.succeed
  })

/** The stage's choices as the run folder records them: preset and body (run.json), stage 1's iterations (its checkpoint). */
const runChoices = (run: string, info: RunInfo, stage: Stage) =>
  Effect.gen(function* () {
    const body = yield* loadBody(info.body)
    const stage1Iterations = stage === 2 ? Option.getOrUndefined(yield* checkpointStep(stageDir(run, 1))) : undefined
    const choices: AvatarChoices = { ...defaultChoices(stage), preset: info.preset, body, stage1Iterations }
    return choices
  })

/** A trained run folder: its run.json, its latest stage with a checkpoint, and the choices that stage was trained with. */
export interface TrainedRun {
  readonly info: RunInfo
  readonly stage: Stage
  readonly choices: AvatarChoices
}

export const openTrainedRun = (run: string) =>
  Effect.gen(function* () {
    const info = yield* requireRunInfo(run)
    const stage = yield* trainedStage(run)
    const choices = yield* runChoices(run, info, stage)
    const trained: TrainedRun = { info, stage, choices }
    return trained
  })

/** The run's render graph rebuilt for `subject` (a camera and the run's betas), and its latest stage's trained state. */
export const loadTrainedAvatar = (run: string, { stage, choices }: TrainedRun, subject: AvatarSubject) =>
  Effect.gen(function* () {
    const { graph, render, setup } = avatarGraphs(choices, subject)
    const state = yield* loadTrainedState(graph, stageDir(run, stage), setup.constants)
    return { render, state }
  })
