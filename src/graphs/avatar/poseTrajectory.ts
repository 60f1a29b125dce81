/**
 * Stage 1's per-frame poses refined as a trajectory (`Trajectory`) or row by row (`PerFrame`, the
 * original).
 * - PerFrame: node "body" reads the per-frame params "pose" [1, J, 3] and "transl" [1, 3]; a frame's
 *   row takes an Adam step only when its frame is in the batch, about once per epoch.
 * - Trajectory: the pose a frame is rendered in is its per-frame row plus a correction shared along
 *   time, a uniform cubic B-spline over the frames with a knot every `knotSpacing` frames
 *   (src/math/spline.ts):
 *     bodyPose(t)   = pose(t)   + w(t) · poseKnots     w(t) [1, K] frame t's basis row (knotWeights)
 *     bodyTransl(t) = transl(t) + w(t) · translKnots   poseKnots [K, 3 J], translKnots [K, 3], from 0
 *   K = ceil((frames - 1) / knotSpacing) + 3 (graph dim "knots"). The knots are dense params (group
 *   "trajectory", the pose rate x `rateScale`): every step moves the ~4 knots whose support holds its
 *   frame, each knot gathers the image gradients of the ~4 x knotSpacing frames around it, so their
 *   noise averages and the number of updates no longer falls as the frames grow. As a knot takes an
 *   Adam step at every step (a row: once per epoch), its rate is a fraction of the rows'. The rows stay for what the spline cannot follow;
 *   the priors (poseRefinement.ts) hold the rendered pose bodyPose towards the start. Needs the frames
 *   in time order (a video, possibly subsampled).
 * Made of existing ops (linear: x · weight + bias with the row as bias; reshape). Without it
 * (`withoutTrajectory`: graphs.render, frozen poses) node "body" reads the rows again. A trained
 * state's poses are `trainedPoses` (rows plus the correction), computed on the host.
 */
import { SMPL_PARENTS } from "../../body/model.ts"
import type { HostTensor } from "../../data/dataset.ts"
import { hostTensor } from "../../data/dataset.ts"
import { dropNode, dropParam, replaceNode } from "../../dsl/edit.ts"
import type { AnyGraph, GroupSpec, NodeSpec, ParamSpec, Ref } from "../../dsl/graph.ts"
import { given, group, node, out, param, paramSpec, zeros } from "../../dsl/graph.ts"
import type { Scalar } from "../../dsl/schedule.ts"
import { constant, product } from "../../dsl/schedule.ts"
import { controlPointCount, splineBasis } from "../../math/spline.ts"
import { specs } from "../../ops/specs.ts"

const J = SMPL_PARENTS.length

const scheduleOf = (rate: Scalar) => (typeof rate === "number" ? constant(rate) : rate)

/** How stage 1 refines the per-frame poses. */
export type PoseRefinement = { readonly _tag: "PerFrame" } | { readonly _tag: "Trajectory"; readonly knotSpacing: number; readonly rateScale: number }

export const perFrame: PoseRefinement = { _tag: "PerFrame" }

/** The graph dim of the knot count, and the constant of the per-frame basis rows [frames, 1, K]. */
export const knotDim = "knots"
export const knotWeightsKey = "knotWeights"

/** Names of the trajectory's params and nodes (none in a PerFrame graph). */
export const trajectoryNames = {
  params: ["poseKnots", "translKnots", "knotWeights"],
  nodes: ["poseRow", "trajectoryPose", "bodyPose", "translRow", "bodyTransl"]
} as const

/** What node "body" reads as pose and translation, and the fragment that computes them. */
export interface PoseSource {
  readonly pose: Ref
  readonly transl: Ref
  readonly dims: Record<string, number>
  readonly groups: Record<string, GroupSpec>
  readonly params: Record<string, ParamSpec>
  readonly nodes: Record<string, NodeSpec>
}

/**
 * The pose and translation node "body" reads: the per-frame params, or with a trajectory those plus
 * the spline's correction. `frames` (the training frames) sizes the knots; absent (a trained run
 * rebuilt for rendering, which drops them), the dim "knots" stays a symbol.
 */
export const poseSource = (refinement: PoseRefinement | undefined, frames: number | undefined, poseRate: Scalar): PoseSource => {
  if (refinement?._tag !== "Trajectory") return { pose: param("pose"), transl: param("transl"), dims: {}, groups: {}, params: {}, nodes: {} }
  const inTrajectoryGroup = { group: "trajectory" } as const
  return {
    pose: out("bodyPose"),
    transl: out("bodyTransl"),
    dims: frames === undefined ? {} : { [knotDim]: controlPointCount(frames, refinement.knotSpacing) },
    groups: { trajectory: group(product(scheduleOf(poseRate), constant(refinement.rateScale))) },
    params: {
      poseKnots: paramSpec([knotDim, 3 * J], zeros, inTrajectoryGroup),
      translKnots: paramSpec([knotDim, 3], zeros, inTrajectoryGroup),
      knotWeights: paramSpec([1, knotDim], given(knotWeightsKey), { ...inTrajectoryGroup, perFrame: true, frozen: true })
    },
    nodes: {
      poseRow: node(specs.reshape, { x: param("pose") }, { from: [1, J, 3], to: [3 * J] }),
      trajectoryPose: node(specs.linear, { x: param("knotWeights"), weight: param("poseKnots"), bias: out("poseRow") }, {}),
      bodyPose: node(specs.reshape, { x: out("trajectoryPose") }, { from: [1, 3 * J], to: [1, J, 3] }),
      translRow: node(specs.reshape, { x: param("transl") }, { from: [1, 3], to: [3] }),
      bodyTransl: node(specs.linear, { x: param("knotWeights"), weight: param("translKnots"), bias: out("translRow") }, {})
    }
  }
}

/** The run's constant of a trajectory: every frame's basis row [frames, 1, K] (none for PerFrame). */
export const trajectoryConstants = (refinement: PoseRefinement | undefined, frames: number): Record<string, HostTensor> => {
  if (refinement?._tag !== "Trajectory") return {}
  const K = controlPointCount(frames, refinement.knotSpacing)
  return { [knotWeightsKey]: hostTensor([frames, 1, K], Float32Array.from(splineBasis(frames, refinement.knotSpacing))) }
}

/** The graph whose node "body" reads the per-frame params "pose" and "transl" themselves, without the trajectory's nodes and params. */
export const withoutTrajectory = (graph: AnyGraph): AnyGraph => {
  if (!("poseKnots" in graph.params)) return graph
  const body = (graph.nodes as Record<string, NodeSpec>)["body"]
  if (!body) throw new Error(`graph "${graph.name}" has a pose trajectory but no node "body"`)
  const rows = replaceNode(graph, "body", { ...body, inputs: { ...(body.inputs as Record<string, Ref>), pose: param("pose"), transl: param("transl") } } as NodeSpec)
  const { [knotDim]: _knots, ...dims } = rows.dims
  const withoutNodes = trajectoryNames.nodes.reduce<AnyGraph>((g, name) => dropNode(g, name), { ...rows, dims })
  return trajectoryNames.params.reduce<AnyGraph>((g, name) => dropParam(g, name), withoutNodes)
}

type Values = Readonly<Record<string, { readonly data: ArrayLike<number> } | undefined>>

/** A trained state's per-frame poses [frames * J * 3] and translations [frames * 3]: the rows, plus the trajectory's correction when it has one; undefined without rows. */
export const trainedPoses = (params: Values, frameParams: Values): { readonly pose: Float64Array; readonly transl: Float64Array } | undefined => {
  const rows = { pose: frameParams["pose"]?.data, transl: frameParams["transl"]?.data }
  if (rows.pose === undefined || rows.transl === undefined) return undefined
  const pose = Float64Array.from(rows.pose)
  const transl = Float64Array.from(rows.transl)
  const weights = frameParams[knotWeightsKey]?.data
  const poseKnots = params["poseKnots"]?.data
  const translKnots = params["translKnots"]?.data
  if (weights === undefined || poseKnots === undefined || translKnots === undefined) return { pose, transl }
  const frames = transl.length / 3
  const K = weights.length / frames
  addCorrection(pose, weights, poseKnots, frames, K, 3 * J)
  addCorrection(transl, weights, translKnots, frames, K, 3)
  return { pose, transl }
}

/** rows[t, :] += sum over k of weights[t, k] knots[k, :]. */
const addCorrection = (rows: Float64Array, weights: ArrayLike<number>, knots: ArrayLike<number>, frames: number, K: number, width: number): void => {
  for (let t = 0; t < frames; t++)
    for (let k = 0; k < K; k++) {
      const w = weights[t * K + k] as number
      if (w !== 0) for (let c = 0; c < width; c++) rows[t * width + c] = (rows[t * width + c] as number) + w * (knots[k * width + c] as number)
    }
}
