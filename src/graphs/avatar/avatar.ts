/**
 * The avatar graphs as builders: graphs.stage1 and graphs.stage2 make their Stage1Config from the
 * dataset (first frame's betas, intrinsics and image size), the body model (the open body unless
 * another is chosen) and a preset (sizes, pose-optimisation start, scale warm-up), compute the avatar
 * constants (avatarSetup), and pass the preset's epochs, batch size and checkpoint cadence to run().
 * `.with({...})` changes any choice.
 * Without a dataset (a trained run rebuilt for evaluation or rendering), `avatarGraphs(choices, subject)`
 * makes the same graph from the subject's numbers.
 */
import { Effect } from "effect"
import type { AvatarSetup } from "./setup.ts"
import { avatarSetup } from "./setup.ts"
import type { BodyModel } from "../../body/model.ts"
import { openBody } from "../../body/openBody.ts"
import type { Dataset } from "../../data/dataset.ts"
import type { LpipsWeights } from "../../lpips/alexnet.ts"
import type { CheckError, ShapeMismatch } from "../../dsl/errors.ts"
import { GraphError } from "../../dsl/errors.ts"
import { typecheck } from "../../dsl/typecheck.ts"
import type { AnyGraph } from "../../dsl/graph.ts"
import type { GraphBuilder } from "../builder.ts"
import type { AvatarLosses, Stage1Config } from "./config.ts"
import { renderCamera, stage1Losses, stage1Rates } from "./config.ts"
import type { Preset } from "./presets.ts"
import { presets } from "./presets.ts"
import { poseStartConstants } from "./poseRefinement.ts"
import { trajectoryConstants } from "./poseTrajectory.ts"
import { renderOf } from "./render.ts"
import { stage1 } from "./stage1.ts"
import type { Stage2Rates } from "./stage2.ts"
import { stage2, stage2Rates } from "./stage2.ts"

export type Stage = 1 | 2

export interface AvatarChoices {
  readonly stage: Stage
  readonly preset: Preset
  /** The body model; default the open body (src/body/openBody.ts), generated once on first use. */
  readonly body?: BodyModel
  readonly losses: AvatarLosses
  readonly stage2Rates: Stage2Rates
  /**
   * Stage 2: the iterations stage 1 ran, from which stage 2 continues the scale warm-up (config.ts).
   * Default when built from a dataset: the preset's stage-1 epochs of that dataset; without a
   * dataset (avatarGraphs): none, full scales.
   */
  readonly stage1Iterations?: number
  /** LPIPS weights from the user's files (src/avatar/lpips.ts); absent: no LPIPS term. */
  readonly lpips?: LpipsWeights
  /**
   * The training frames, which size a pose trajectory's knots (poseTrajectory.ts). Default when built
   * from a dataset: its size; without a dataset (avatarGraphs): none, the knot count stays a symbol
   * (enough to read a checkpoint and to render, which drops the trajectory).
   */
  readonly frames?: number
}

/** What the graph needs to know about the person and the camera: a dataset's first frame, or a run's run.json. */
export interface AvatarSubject {
  /** [10] body shape. */
  readonly betas: ArrayLike<number>
  /** [9] row-major 3x3, OpenCV convention (pixel centres at integers). */
  readonly intrinsic: ArrayLike<number>
  readonly width: number
  readonly height: number
}

export interface AvatarGraphs {
  readonly config: Stage1Config
  readonly setup: AvatarSetup
  /** The training graph of the chosen stage. */
  readonly graph: AnyGraph
  /** The same graph posed by per-sample inputs "pose" and "transl" (graphs.render). */
  readonly render: AnyGraph
}

/** The chosen body model, or the open body (generated once) when none is chosen. */
export const bodyModelOf = (body: BodyModel | undefined): BodyModel => body ?? openBody()
const bodyOf = (choices: AvatarChoices): BodyModel => bodyModelOf(choices.body)

/** The stage's graph for this subject; `stage1(config)` / `stage2(config)` stay the spec functions. */
export const avatarGraphs = (choices: AvatarChoices, subject: AvatarSubject): AvatarGraphs => {
  const { sizes, poseFrom, posePrior, translPrior, poseStart, poseRefinement } = choices.preset
  const setup = avatarSetup(bodyOf(choices), Float64Array.from(subject.betas), sizes.querySize, sizes.featureSize)
  const config: Stage1Config = {
    dims: setup.dims,
    sizes,
    camera: renderCamera(subject.intrinsic, subject.width, subject.height),
    losses: { posePrior, translPrior, ...choices.losses },
    poseStart,
    poseRefinement,
    ...(choices.frames === undefined ? {} : { frames: choices.frames }),
    rates: stage1Rates(poseFrom),
    scaleWarmUpIterations: choices.preset.scaleWarmUp,
    stage1Iterations: choices.stage1Iterations,
    ...(choices.lpips ? { lpips: choices.lpips } : {})
  }
  const graph = choices.stage === 1 ? stage1(config) : stage2(config, choices.stage2Rates)
  return { config, setup, graph, render: renderOf(graph) }
}

/** A stage's graph that cannot be built (a spec function threw on its sizes). */
const notBuilt = (stage: Stage, cause: unknown) =>
  new GraphError({ graph: `stage${stage}`, where: "building the graph", reason: cause instanceof Error ? cause.message : String(cause) })

/**
 * Both stages' graphs built and typechecked for this subject before any training, so that a size
 * one stage does not accept (stage 2's pose encoder, say) fails at once, not after stage 1 has trained.
 */
export const checkBothStages = (choices: AvatarChoices, subject: AvatarSubject): Effect.Effect<void, CheckError> =>
  Effect.gen(function* () {
    const first = yield* Effect.try({ try: () => avatarGraphs({ ...choices, stage: 1 }, subject), catch: (e) => notBuilt(1, e) })
    const second = yield* Effect.try({ try: () => stage2(first.config, choices.stage2Rates), catch: (e) => notBuilt(2, e) })
    yield* typecheck(first.graph)
    yield* typecheck(second)
  })

const missing = (stage: Stage, dataset: Dataset, what: string) =>
  new GraphError({ graph: `stage${stage}`, where: `dataset "${dataset.name}", frame 0`, reason: `has no ${what}: the avatar graphs need "image" [H, W, 3], "betas" [10] and "intrinsic" [3, 3]` })

/** Betas, intrinsics and image size from the dataset's first frame. */
export const subjectOf = (dataset: Dataset, stage: Stage = 1) =>
  Effect.gen(function* () {
    const first = yield* dataset.sample(0)
    const { image, betas, intrinsic } = first.tensors
    if (!image || image.shape.length !== 3) return yield* missing(stage, dataset, `"image" [H, W, 3]`)
    if (!betas) return yield* missing(stage, dataset, `"betas"`)
    if (!intrinsic || intrinsic.data.length !== 9) return yield* missing(stage, dataset, `"intrinsic" [3, 3]`)
    const [height, width] = image.shape as [number, number]
    const subject: AvatarSubject = { betas: betas.data, intrinsic: intrinsic.data, width, height }
    return subject
  })

export interface AvatarBuilder extends GraphBuilder<AnyGraph, Effect.Effect.Error<ReturnType<Dataset["sample"]>> | GraphError | ShapeMismatch> {
  readonly choices: AvatarChoices
  /** The same builder with some choices changed, e.g. graphs.stage1.with({ preset: presets.paper }). */
  readonly with: (changes: Partial<AvatarChoices>) => AvatarBuilder
  /** The stage's spec function applied to a ready config (for typed edits of the spec). */
  readonly graphOf: (config: Stage1Config) => AnyGraph
}

export const avatarBuilder = (choices: AvatarChoices): AvatarBuilder => ({
  _tag: "GraphBuilder",
  name: `stage${choices.stage}`,
  choices,
  with: (changes) => avatarBuilder({ ...choices, ...changes }),
  graphOf: (config) => (choices.stage === 1 ? stage1(config) : stage2(config, choices.stage2Rates)),
  build: (dataset) =>
    Effect.gen(function* () {
      const subject = yield* subjectOf(dataset, choices.stage)
      const { preset } = choices
      const stepsPerEpoch = Math.ceil(dataset.size / preset.batchSize)
      const { graph, setup } = avatarGraphs({ ...choices, frames: choices.frames ?? dataset.size, stage1Iterations: choices.stage1Iterations ?? preset.epochs.stage1 * stepsPerEpoch }, subject)
      // Typecheck as soon as the graph exists: a size the graph cannot take fails here, before any tensor.
      yield* typecheck(graph)
      const epochs = choices.stage === 1 ? preset.epochs.stage1 : preset.epochs.stage2
      return { graph, constants: { ...setup.constants, ...poseStartConstants(dataset, preset.poseStart), ...trajectoryConstants(preset.poseRefinement, dataset.size) }, options: { epochs, batchSize: preset.batchSize, checkpointEvery: preset.checkpointEpochs * stepsPerEpoch } }
    })
})

export const defaultChoices = (stage: Stage): AvatarChoices => ({ stage, preset: presets.quick, losses: stage1Losses, stage2Rates })
