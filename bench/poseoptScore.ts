/**
 * bench -- poseopt, part 2: the three trainings and their scores. Stage 1 trained from the noisy fit
 * with pose refinement ("refined"), frozen at the noisy fit (noPoseOptimisation: "frozen"), and
 * frozen at the true poses ("truth", the PSNR that perfect refinement would approach); each scored
 * on the novel views rendered with the test frames' TRUE poses (so that the score reflects the learned
 * appearance, not the test fit's noise): PSNR, and PSNR inside the person's mask. The poses' errors
 * (src/avatar/poseError.ts) of the fit before training and of the refined poses after.
 */
import { Effect, Layer, Option } from "effect"
import { join } from "node:path"
import { evaluateSplit } from "../src/avatar/evaluate.ts"
import { jointErrorsDegrees, meanBoneDirectionErrorDegrees, meanRotationErrorDegrees, meanTranslationErrorAlongCm, meanTranslationErrorCm, meanUnseenRotationDegrees, meanVertexErrorCm } from "../src/avatar/poseError.ts"
import type { BodyArrays64 } from "../src/body/forward64.ts"
import type { Dataset, HostTensor } from "../src/data/dataset.ts"
import type { AnyGraph } from "../src/dsl/graph.ts"
import { startKeys } from "../src/graphs/avatar/poseRefinement.ts"
import { trainedPoses } from "../src/graphs/avatar/poseTrajectory.ts"
import { renderOf } from "../src/graphs/avatar/render.ts"
import { noPoseOptimisation } from "../src/graphs/avatar/variants/noPoseOptimisation.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import type { TrainedState } from "../src/runtime/index.ts"
import { runPromise, WasmBackend } from "../src/runtime/index.ts"
import type { RunOptionsInput } from "../src/runtime/options.ts"
import { refineAgainst } from "./poseoptBound.ts"
import type { Setup } from "./poseoptSetup.ts"
import { outDir } from "./poseoptSetup.ts"

const JOINTS = 24

export interface PoseErrors {
  /** Mean rotation error per joint, degrees. */
  readonly degrees: number
  readonly centimetres: number
  /** Translation error along the camera's viewing axis, the direction images see least. */
  readonly depthCentimetres: number
  /** The part of `degrees` that turns no bone (twists about single bones, leaf joints). */
  readonly unseenDegrees: number
  /** Mean angle of the posed skeleton's bones from the true bones. */
  readonly boneDegrees: number
  /** Mean distance of the posed body's vertices from their true places. */
  readonly surfaceCentimetres: number
  readonly perJoint: Float64Array
}

export interface RunScore {
  readonly label: string
  readonly seconds: number
  readonly steps: number
  readonly psnr: number
  readonly maskedPsnr: number
  readonly ssim: number
  readonly state: TrainedState
}

export interface Scores {
  readonly before: PoseErrors
  /** The refinement's start when it is not the fit (the fit smoothed along time): what the smoothing alone removes. */
  readonly start?: PoseErrors
  readonly after: PoseErrors
  readonly refined: RunScore
  /** Absent with --refined-only. */
  readonly frozen?: RunScore
  readonly truth?: RunScore
  readonly bound?: PoseErrors
}

const perFrame = (dataset: Dataset, key: string): HostTensor =>
  Option.getOrThrowWith(dataset.perFrame(key), () => new Error(`bench/poseoptScore.ts: dataset ${dataset.name} has no per-frame "${key}"`))

/** The camera's viewing axis in world coordinates: the third row of the world-to-camera rotation. */
const viewingAxis = (extrinsic: ArrayLike<number>): [number, number, number] => [extrinsic[8] as number, extrinsic[9] as number, extrinsic[10] as number]

const bodyArrays = (setup: Setup): BodyArrays64 => ({ vTemplate: setup.body.vTemplate, shapeDirs: setup.body.shapeDirs, jRegressor: setup.body.jRegressor, weights: setup.body.weights, parents: Array.from(setup.body.parents) })

/** The errors of the dataset's (noisy) fit. */
export const fitErrors = (setup: Setup): PoseErrors => poseErrors(setup, perFrame(setup.train, "pose").data, perFrame(setup.train, "transl").data)

export const poseErrors = (setup: Setup, pose: ArrayLike<number>, transl: ArrayLike<number>): PoseErrors => {
  const estimated = { poses: pose, transl }
  const exact = { poses: perFrame(setup.truth, "pose").data, transl: perFrame(setup.truth, "transl").data }
  const body = bodyArrays(setup)
  return {
    unseenDegrees: meanUnseenRotationDegrees(body, setup.betas, estimated, exact),
    boneDegrees: meanBoneDirectionErrorDegrees(body, setup.betas, estimated, exact),
    degrees: meanRotationErrorDegrees(pose, exact.poses),
    centimetres: meanTranslationErrorCm(transl, exact.transl),
    depthCentimetres: meanTranslationErrorAlongCm(transl, exact.transl, viewingAxis(setup.extrinsic)),
    surfaceCentimetres: meanVertexErrorCm(body, setup.betas, estimated, exact),
    perJoint: jointErrorsDegrees(pose, exact.poses, JOINTS)
  }
}

/** The errors of the refinement's start, when the run's constants hold one (a smoothed start). */
export const startErrors = (setup: Setup): PoseErrors | undefined => {
  const constants = setup.runOptions.constants ?? {}
  const pose = constants[startKeys.pose]
  const transl = constants[startKeys.transl]
  return pose && transl ? poseErrors(setup, pose.data, transl.data) : undefined
}

/** The refined poses of a trained stage 1: its per-frame "pose" and "transl", plus a trajectory's correction. */
export const refinedPoses = (state: TrainedState): { readonly pose: ArrayLike<number>; readonly transl: ArrayLike<number> } => {
  const poses = trainedPoses(state.params, state.frameParams)
  if (!poses) throw new Error(`bench/poseoptScore.ts: the trained state of ${state.graph.name} has no per-frame "pose" or "transl"`)
  return poses
}

const trainAndScore = async (setup: Setup, folder: string, label: string, graph: AnyGraph, data: Dataset, options: RunOptionsInput): Promise<RunScore> => {
  const began = performance.now()
  const state = await runPromise(graph, data, { ...options, progress: "log" })
  const seconds = (performance.now() - began) / 1000
  const layers = Layer.mergeAll(WasmBackend, BuiltinOps)
  const evaluation = await Effect.runPromise(evaluateSplit(renderOf(graph), state, setup.test, join(outDir(setup.settings), folder)).pipe(Effect.provide(layers)))
  const { psnr, ssim, maskedPsnr } = evaluation.mean
  console.log(`${label}: ${state.step} steps in ${seconds.toFixed(0)} s, novel-view PSNR ${psnr.toFixed(2)} dB (inside the mask ${maskedPsnr.toFixed(2)} dB), SSIM ${ssim.toFixed(4)}`)
  return { label, seconds, steps: state.step, psnr, maskedPsnr, ssim, state }
}

export const trainAndScoreAll = async (setup: Setup): Promise<Scores> => {
  const { settings, graph, train, truth } = setup
  const before = fitErrors(setup)
  const start = startErrors(setup)
  const refined = await trainAndScore(setup, "refined", "refined from the noisy fit", graph, train, setup.runOptions)
  const frozen = settings.refinedOnly ? undefined : await trainAndScore(setup, "frozen", "frozen at the noisy fit", noPoseOptimisation(graph), train, setup.runOptions)
  const truthRun = settings.truthBaseline && !settings.refinedOnly ? await trainAndScore(setup, "truth", "frozen at the true poses", noPoseOptimisation(graph), truth, setup.truthRunOptions) : undefined
  const poses = refinedPoses(refined.state)
  const after = poseErrors(setup, poses.pose, poses.transl)
  const epochs = settings.preset.epochs.stage1 - settings.preset.poseFrom
  const constants = setup.runOptions.constants ?? {}
  const boundState = truthRun && settings.oracle ? await refineAgainst(graph, truthRun.state, train, epochs, settings.poseRate, constants) : undefined
  const bound = boundState && poseErrors(setup, refinedPoses(boundState).pose, refinedPoses(boundState).transl)
  return { before, ...(start && { start }), after, refined, ...(frozen && { frozen }), ...(truthRun && { truth: truthRun }), ...(bound && { bound }) }
}
