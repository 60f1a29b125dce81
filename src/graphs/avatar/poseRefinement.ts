/**
 * Stage 1's per-frame body poses: where their refinement starts and the priors that hold them.
 * - Start: the dataset's body fit as it is (`Fit`, the original), or that fit smoothed along time
 *   (`Smoothed`): per joint, the axis-angle rotations made continuous over the frames (a turn past
 *   pi does not jump), then every rotation number and the translation replaced by a least-squares
 *   cubic B-spline through them with a knot every `knotSpacing` frames (src/math/spline.ts). A pose
 *   estimator's error is mostly independent from frame to frame while the person moves smoothly, so
 *   the smoothed fit is nearer the truth; it needs the frames in time order (a video, possibly
 *   subsampled). The graph builder computes it from the dataset (`poseStartConstants`) and the
 *   per-frame params start from it (Given per-frame constants).
 * - Priors (not in the original), each only when weighted: `posePrior` x mean over the 72 numbers of
 *   (pose - start)^2 (radians) and `translPrior` x mean over the 3 numbers of (transl - start)^2
 *   (metres), towards the refinement's start (frozen per-frame copies "poseFit", "translFit"), on the
 *   pose the frame is rendered in: the per-frame params, or with a pose trajectory those plus its
 *   correction (poseTrajectory.ts).
 * Why row-by-row refinement (PerFrame) barely moves: each frame's row takes one Adam step per epoch, at
 * most about the rate (5e-3 rad) per number, and one frame's image gradient agrees little with the
 * correction its pose needs (the appearance is learned from the same misaligned frames at the same
 * time; twists about a bone change no image). The gradient itself is right (tape against central
 * differences at 512x512: `npm run bench -- posegrad`). Hence the smoothed start, and the trajectory
 * (poseTrajectory.ts), whose knots gather many frames' gradients at every step; the figures are in
 * the README, "Pose refinement".
 */
import { SMPL_PARENTS } from "../../body/model.ts"
import type { Dataset, HostTensor } from "../../data/dataset.ts"
import { hostTensor } from "../../data/dataset.ts"
import { dropLoss, dropNode, dropParam } from "../../dsl/edit.ts"
import type { AnyGraph, Init, LossTerm, NodeSpec, ParamSpec, Ref } from "../../dsl/graph.ts"
import { fromDataset, given, loss, node, param, paramSpec, out } from "../../dsl/graph.ts"
import type { Scalar } from "../../dsl/schedule.ts"
import { unwrapAxisAngle } from "../../math/rotation.ts"
import { smoothAlongTime } from "../../math/spline.ts"
import { specs } from "../../ops/specs.ts"

const J = SMPL_PARENTS.length

/** Where stage 1's per-frame poses and translations start. */
export type PoseStart = { readonly _tag: "Fit" } | { readonly _tag: "Smoothed"; readonly knotSpacing: number }

export const fitStart: PoseStart = { _tag: "Fit" }

/** Keys of the smoothed start among the run's constants: [frames, 1, J, 3] and [frames, 1, 3]. */
export const startKeys = { pose: "poseStart", transl: "translStart" } as const

const startInit = (start: PoseStart | undefined, field: "pose" | "transl"): Init => (start?._tag === "Smoothed" ? given(startKeys[field]) : fromDataset(field))

/** The per-frame params "pose" [1, J, 3] and "transl" [1, 3], learned in group "pose". */
export const poseParams = (start: PoseStart | undefined): { readonly pose: ParamSpec; readonly transl: ParamSpec } => ({
  pose: paramSpec([1, J, 3], startInit(start, "pose"), { group: "pose", perFrame: true }),
  transl: paramSpec([1, 3], startInit(start, "transl"), { group: "pose", perFrame: true })
})

const weighted = (w: Scalar | undefined): w is Scalar => w !== undefined && w !== 0

export interface PriorWeights {
  readonly posePrior?: Scalar
  readonly translPrior?: Scalar
}

export interface Fragment {
  readonly params: Record<string, ParamSpec>
  readonly nodes: Record<string, NodeSpec>
  readonly losses: Record<string, LossTerm>
}

/** The rendered pose and translation the priors hold: the per-frame params, or those plus a trajectory's correction (poseTrajectory.ts). */
export interface Rendered {
  readonly pose: Ref
  readonly transl: Ref
}

const rowsRendered: Rendered = { pose: param("pose"), transl: param("transl") }

/** The prior of one per-frame pose field towards its start: a frozen copy, an mse node and its loss term. */
const priorOf = (field: "pose" | "transl", copy: string, rowShape: ReadonlyArray<number>, start: PoseStart | undefined, weight: Scalar, rendered: Rendered): Fragment => ({
  params: { [copy]: paramSpec(rowShape, startInit(start, field), { group: "pose", perFrame: true, frozen: true }) },
  nodes: { [`${field}Prior`]: node(specs.mse, { prediction: rendered[field], target: param(copy) }, {}) },
  losses: { [`${field}Prior`]: loss(out(`${field}Prior`), weight) }
})

/** The weighted priors' params, nodes and loss terms ("posePrior" / "poseFit", "translPrior" / "translFit") on the rendered pose (default: the per-frame params). */
export const priorTerms = (weights: PriorWeights, start: PoseStart | undefined, rendered: Rendered = rowsRendered): Fragment => {
  const parts = [
    weighted(weights.posePrior) ? priorOf("pose", "poseFit", [1, J, 3], start, weights.posePrior, rendered) : undefined,
    weighted(weights.translPrior) ? priorOf("transl", "translFit", [1, 3], start, weights.translPrior, rendered) : undefined
  ].filter((p): p is Fragment => p !== undefined)
  return {
    params: Object.assign({}, ...parts.map((p) => p.params)) as Record<string, ParamSpec>,
    nodes: Object.assign({}, ...parts.map((p) => p.nodes)) as Record<string, NodeSpec>,
    losses: Object.assign({}, ...parts.map((p) => p.losses)) as Record<string, LossTerm>
  }
}

/** The prior nodes, losses and frozen copies a graph may hold. */
const priorNames = [
  { node: "posePrior", loss: "posePrior", param: "poseFit" },
  { node: "translPrior", loss: "translPrior", param: "translFit" }
] as const

/** The graph without the priors of the per-frame pose and translation (graphs.render, frozen poses), which read the per-frame params. */
export const withoutPosePriors = (graph: AnyGraph): AnyGraph =>
  priorNames.reduce((g, names) => (names.node in g.nodes ? dropParam(dropLoss(dropNode(g, names.node), names.loss), names.param) : g), graph)

/** Every joint's axis-angle rotation made continuous along the frames: [frames * J * 3]. */
export const continuousRotations = (poses: ArrayLike<number>, frames: number): Float64Array => {
  const out = Float64Array.from(poses)
  for (let t = 1; t < frames; t++)
    for (let j = 0; j < J; j++) {
      const at = (t * J + j) * 3
      out.set(unwrapAxisAngle(out.subarray(at, at + 3), out.subarray(at - 3 * J, at - 3 * J + 3)), at)
    }
  return out
}

/** The smoothed start of a fit: poses [frames * J * 3] and translations [frames * 3], smoothed along time. */
export const smoothedFit = (poses: ArrayLike<number>, transl: ArrayLike<number>, frames: number, knotSpacing: number): { readonly pose: Float64Array; readonly transl: Float64Array } => ({
  pose: smoothAlongTime(continuousRotations(poses, frames), frames, 3 * J, knotSpacing),
  transl: smoothAlongTime(transl, frames, 3, knotSpacing)
})

/**
 * The run's constants of a smoothed start, from the dataset's per-frame "pose" and "transl" (none for
 * `Fit`, or when the dataset lacks either: the param then reports the missing constant by name).
 */
export const poseStartConstants = (dataset: Dataset, start: PoseStart | undefined): Record<string, HostTensor> => {
  if (start?._tag !== "Smoothed") return {}
  const pose = dataset.perFrame("pose")
  const transl = dataset.perFrame("transl")
  if (pose._tag === "None" || transl._tag === "None") return {}
  const frames = dataset.size
  const smoothed = smoothedFit(pose.value.data, transl.value.data, frames, start.knotSpacing)
  return {
    [startKeys.pose]: hostTensor([frames, 1, J, 3], Float32Array.from(smoothed.pose)),
    [startKeys.transl]: hostTensor([frames, 1, 3], Float32Array.from(smoothed.transl))
  }
}
