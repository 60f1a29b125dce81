/**
 * graphs.fit: the SMPLify-style body fit of `gavatar prepare`, as a graph. One sample holds every
 * frame of the clip (F frames are evaluated together: joint priors along time need neighbouring
 * frames, and one batched evaluation costs about what one frame does). Per-frame rows:
 *   pose [F, 72] = poseInit + (globalDelta [F, 3] ++ bodyDelta [F, 63] ++ 0 [F, 6])   (hands held at rest)
 *   transl [F, 3] = translInit + translDelta,   betas [10] shared by every frame.
 * The body (points.ts: 24 joints, one point per landmark, a subset of the surface) is posed by
 * bodyForward in camera space (the camera sits at the origin, extrinsic identity), projected to
 * pixels, and scored by
 *   keypoints     sum over landmarks of c^2 GM(|p - t|) in units of 1% of the longer image side
 *   bones         sum over bones of c |u - t|^2, u the unit direction of a bone of the posed joints and
 *                 t the detector's 3D estimate of it (which way a limb points along the line of sight)
 *   silhouette    mean (softSilhouette(points) - mask)^2 at the silhouette resolution
 *   bend          knees and elbows bending the wrong way (SMPLify's exp prior)
 *   rest          weighted squares of weakly seen rotations (wrists, feet, head, twists)
 *   shape         mean of squared betas
 *   smoothJoints, smoothTransl   squared second differences along the frames, never across a break
 *                (a frame beginning a new run: one or more frames before it were dropped)
 * Stage one of the fit freezes bodyDelta and betas (orientationStage).
 */
import { SMPL_PARENTS } from "../../body/model.ts"
import { freeze, setWeight } from "../../dsl/edit.ts"
import { constantParam, defineGraph, group, input, loss, node, out, param, paramSpec, zeros } from "../../dsl/graph.ts"
import { constant } from "../../dsl/schedule.ts"
import { port } from "../../dsl/shape.ts"
import { specs } from "../../ops/specs.ts"
import type { FitSettings } from "./settings.ts"

const J = SMPL_PARENTS.length

export interface FitCamera {
  readonly fx: number
  readonly fy: number
  readonly cx: number
  readonly cy: number
  readonly width: number
  readonly height: number
}

export interface FitConfig {
  readonly frames: number
  /** M, the fit body's points (points.ts). */
  readonly points: number
  /** Row of each landmark among the points. */
  readonly landmarkRows: ReadonlyArray<number>
  /** [from, to] joints of each bone compared with 3D targets. */
  readonly bones: ReadonlyArray<readonly [number, number]>
  readonly camera: FitCamera
  /** Silhouette resolution: the camera scaled by `scale`. */
  readonly silhouette: { readonly width: number; readonly height: number; readonly scale: number }
  /** Frames that begin a new run (a frame before them was dropped): the temporal terms do not reach across. */
  readonly breaks: ReadonlyArray<number>
  readonly settings: FitSettings
}

/** SMPLify's bending prior in this body's axes: knees flex with +x, the left elbow with -y, the right with +y. */
export const wrongBends = [
  { joint: 4, axis: 0, sign: -1 },
  { joint: 5, axis: 0, sign: -1 },
  { joint: 18, axis: 1, sign: 1 },
  { joint: 19, axis: 1, sign: -1 }
] as const

export const fitGraph = (c: FitConfig) => {
  const F = c.frames
  const M = c.points
  const K = c.landmarkRows.length
  const B = c.bones.length
  const { width: w, height: h, scale } = c.silhouette
  const cam = c.camera
  const unit = 0.01 * Math.max(cam.width, cam.height)
  const w8 = c.settings.weights
  return defineGraph({
    name: "fit",
    inputs: {
      keypoints: port([F, K, 2]),
      confidence: port([F, K]),
      boneTargets: port([F, B, 3]),
      boneConfidence: port([F, B]),
      masks: port([F, h, w]),
      poseInit: port([F, 3 * J]),
      translInit: port([F, 3])
    },
    params: {
      globalDelta: paramSpec([F, 3], zeros, { group: "pose" }),
      bodyDelta: paramSpec([F, 3 * J - 9], zeros, { group: "pose" }),
      handsRest: paramSpec([F, 6], zeros, { frozen: true }),
      translDelta: paramSpec([F, 3], zeros, { group: "transl" }),
      betas: paramSpec([10], zeros, { group: "shape" }),
      noBetas: paramSpec([F, 10], zeros, { frozen: true }),
      vTemplate: constantParam([M, 3], "vTemplate"),
      shapeDirs: constantParam([M, 3, 10], "shapeDirs"),
      jRegressor: constantParam([J, M], "jRegressor"),
      skinWeights: constantParam([M, J], "skinWeights"),
      restWeights: constantParam([J, 3], "restWeights")
    },
    groups: { pose: group(c.settings.rates.pose), transl: group(c.settings.rates.transl), shape: group(c.settings.rates.shape) },
    nodes: {
      posedJoints: node(specs.concat, { a: param("globalDelta"), b: param("bodyDelta") }, { channelsA: 3, channelsB: 3 * J - 9 }),
      poseDelta: node(specs.concat, { a: out("posedJoints"), b: param("handsRest") }, { channelsA: 3 * J - 6, channelsB: 6 }),
      poseFlat: node(specs.add, { a: input("poseInit"), b: out("poseDelta") }, {}),
      pose: node(specs.reshape, { x: out("poseFlat") }, { from: [F, 3 * J], to: [F, J, 3] }),
      transl: node(specs.add, { a: input("translInit"), b: param("translDelta") }, {}),
      betasRows: node(specs.addBias, { x: param("noBetas"), bias: param("betas") }, {}),
      body: node(
        specs.bodyForward,
        { betas: out("betasRows"), pose: out("pose"), transl: out("transl"), vTemplate: param("vTemplate"), shapeDirs: param("shapeDirs"), jRegressor: param("jRegressor"), weights: param("skinWeights") },
        { parents: SMPL_PARENTS }
      ),
      pixels: node(specs.project, { points: out("body", "vertices") }, { fx: cam.fx / unit, fy: cam.fy / unit, cx: cam.cx / unit, cy: cam.cy / unit, minDepth: 0.1 }),
      keypointsScaled: node(specs.scaleBy, { x: input("keypoints"), factor: out("unitInverse") }, {}),
      unitInverse: node(specs.scheduleValue, {}, { schedule: constant(1 / unit) }),
      keypointError: node(specs.gemanMcClure, { predicted: out("pixels"), targets: out("keypointsScaled"), confidence: input("confidence") }, { points: c.landmarkRows, sigma: c.settings.sigma }),
      boneError: node(specs.boneDirections, { joints: out("body", "joints"), targets: input("boneTargets"), confidence: input("boneConfidence") }, { bones: c.bones }),
      silhouettePixels: node(specs.project, { points: out("body", "vertices") }, { fx: cam.fx * scale, fy: cam.fy * scale, cx: (cam.cx + 0.5) * scale - 0.5, cy: (cam.cy + 0.5) * scale - 0.5, minDepth: 0.1 }),
      silhouette: node(specs.softSilhouette, { points: out("silhouettePixels") }, { width: w, height: h, radius: 2.2, opacity: 0.8 }),
      silhouetteError: node(specs.mse, { prediction: out("silhouette", "alpha"), target: input("masks") }, {}),
      bend: node(specs.bendPrior, { pose: out("pose") }, { entries: wrongBends }),
      rest: node(specs.weightedSquares, { x: out("pose"), weights: param("restWeights") }, {}),
      shape: node(specs.meanSquare, { x: param("betas") }, {}),
      jointPath: node(specs.temporalSmoothness, { x: out("body", "joints") }, { order: 2, breaks: c.breaks }),
      translRows: node(specs.reshape, { x: out("transl") }, { from: [F, 3], to: [F, 1, 3] }),
      translPath: node(specs.temporalSmoothness, { x: out("translRows") }, { order: 2, breaks: c.breaks })
    },
    losses: {
      keypoints: loss(out("keypointError"), w8.keypoints / Math.max(1, K)),
      bones: loss(out("boneError"), w8.bones / Math.max(1, B)),
      silhouette: loss(out("silhouetteError"), w8.silhouette),
      bend: loss(out("bend"), w8.bend),
      rest: loss(out("rest"), w8.rest),
      shape: loss(out("shape"), w8.shape),
      smoothJoints: loss(out("jointPath"), w8.smoothJoints),
      smoothTransl: loss(out("translPath"), w8.smoothTransl)
    },
    outputs: { pose: out("poseFlat"), transl: out("transl"), joints: out("body", "joints"), pixels: out("pixels"), silhouette: out("silhouette", "alpha") }
  })
}

export type FitGraph = ReturnType<typeof fitGraph>

/** SMPLify's first stage: only the global orientation and translation move; no silhouette, shape or body priors (the caller keeps only the torso's keypoints and bones). */
export const orientationStage = (graph: FitGraph) =>
  ["silhouette", "bend", "rest", "shape", "smoothJoints"].reduce(
    (g, name) => setWeight(g, name as "silhouette", 0),
    freeze(freeze(graph, "bodyDelta"), "betas")
  )
