/**
 * graphs.stage1 of GaussianAvatar, as a graph of this project's ops:
 *   feature tensor -> 3 convs -> resize to the query map -> features at the query texels ++ UV
 *   -> decoder -> offset (x 0.02), scale (sigmoid, warm-up over c.scaleWarmUpIterations), colour (sigmoid)
 *   canonical query points + offset -> LBS with A_live A_canonical^-1 from bodyForward of the
 *   per-frame pose and translation (learned from `rates.pose`'s epoch on, starting from the body fit
 *   or, with c.poseStart Smoothed, from the fit smoothed along time: poseRefinement.ts; with
 *   c.poseRefinement Trajectory, plus a B-spline correction shared along time: poseTrajectory.ts)
 *   -> camera -> rasterise.
 * Losses: L1 and 1 - SSIM against the frame, offset, scale and feature-tensor regularisers,
 * LPIPS (0.2 from epoch 30) only when the config carries the user's LPIPS weights, and priors of the
 * per-frame pose and translation towards their start only when losses.posePrior / translPrior weight
 * them (not in the original: joints the images barely see, such as hands, toes and twists about a
 * bone, drift under Adam's normalised steps, and so does the depth of the body; bench -- poseopt). The
 * original averages the squared offsets over the whole query map, whose texels outside the UV atlas
 * (predicted there, constrained by nothing else) go to zero; here only valid texels are predicted, so
 * the mean over them is weighted by the valid fraction N / Q^2 to give the same term.
 * Stage 2 (stage2.ts) adds the pose encoder; render.ts poses any trained graph.
 */
import { SMPL_PARENTS } from "../../body/model.ts"
import type { LossTerm, NodeSpec } from "../../dsl/graph.ts"
import { constantParam, defineGraph, group, input, loss, node, out, param } from "../../dsl/graph.ts"
import { constant, product, warmUp } from "../../dsl/schedule.ts"
import type { Scalar } from "../../dsl/schedule.ts"
import { port } from "../../dsl/shape.ts"
import { isotropic, opaque } from "../../ops/rasterize/spec.ts"
import { specs } from "../../ops/specs.ts"
import { decoder, decoderDefaults } from "../modules/decoder.ts"
import { featureNet, featureNetDefaults } from "../modules/featureNet.ts"
import { combine } from "../modules/fragment.ts"
import type { Stage1Config } from "./config.ts"
import { decoderPrefix, lpipsLoss, paperScaleWarmUp } from "./config.ts"
import { poseParams, priorTerms } from "./poseRefinement.ts"
import { poseSource } from "./poseTrajectory.ts"

const J = SMPL_PARENTS.length
const sigmoid = { fn: { _tag: "Sigmoid" } } as const

const timesConstant = (weight: Scalar, factor: number): Scalar => (typeof weight === "number" ? weight * factor : product(weight, constant(factor)))

/** The LPIPS node and loss term when the config has weights, else none. */
const lpipsTerm = (c: Stage1Config): { nodes: Record<string, NodeSpec>; losses: Record<string, LossTerm> } =>
  c.lpips
    ? {
        nodes: { lpips: node(specs.lpips, { prediction: out("render", "image"), target: input("image") }, { weights: c.lpips }) },
        losses: { lpips: loss(out("lpips"), c.losses.lpips ?? lpipsLoss) }
      }
    : { nodes: {}, losses: {} }

export const stage1 = (c: Stage1Config) => {
  const { V, K, N } = c.dims
  const { querySize: Q, featureSize: F, channels: C, hidden } = c.sizes
  const features = featureNet("features", { ...featureNetDefaults, size: F, channels: C, tensorGroup: "features", convGroup: "decoder" })
  const dec = decoder(decoderPrefix, out("pointInput"), { ...decoderDefaults, inChannels: C + 2, hidden, group: "decoder" })
  const networks = combine(features.fragment, dec.fragment)
  const perceptual = lpipsTerm(c)
  const poses = poseParams(c.poseStart)
  const source = poseSource(c.poseRefinement, c.frames, c.rates.pose)
  const prior = priorTerms(c.losses, c.poseStart, source)
  return defineGraph({
    name: "stage1",
    dims: source.dims,
    inputs: { image: port([c.camera.height, c.camera.width, 3]), betas: port([K]), extrinsic: port([4, 4]) },
    params: {
      ...networks.params,
      pose: poses.pose,
      transl: poses.transl,
      vTemplate: constantParam([V, 3], "vTemplate"),
      shapeDirs: constantParam([V, 3, K], "shapeDirs"),
      jRegressor: constantParam([J, V], "jRegressor"),
      skinWeights: constantParam([V, J], "skinWeights"),
      queryPoints: constantParam([N, 3], "queryPoints"),
      queryWeights: constantParam([N, J], "queryWeights"),
      queryTexels: constantParam([N], "queryTexels", "int32"),
      queryUv: constantParam([N, 2], "queryUv"),
      inverseCanonical: constantParam([J, 4, 4], "inverseCanonical"),
      ...source.params,
      ...prior.params
    },
    groups: { decoder: group(c.rates.decoder), features: group(c.rates.features), pose: group(c.rates.pose), ...source.groups },
    nodes: {
      ...networks.nodes,
      featureMap: F === Q ? node(specs.reshape, { x: features.output }, { from: [F, F, C], to: [Q, Q, C] }) : node(specs.resizeBilinear, { x: features.output }, { outHeight: Q, outWidth: Q }),
      featureRows: node(specs.reshape, { x: out("featureMap") }, { from: [Q, Q, C], to: [Q * Q, C] }),
      pointFeatures: node(specs.gatherRows, { table: out("featureRows"), indices: param("queryTexels") }, {}),
      pointInput: node(specs.concat, { a: out("pointFeatures"), b: param("queryUv") }, { channelsA: C, channelsB: 2 }),
      offsetFactor: node(specs.scheduleValue, {}, { schedule: constant(0.02) }),
      offset: node(specs.scaleBy, { x: dec.offset, factor: out("offsetFactor") }, {}),
      deformed: node(specs.add, { a: param("queryPoints"), b: out("offset") }, {}),
      deformedBatch: node(specs.reshape, { x: out("deformed") }, { from: [N, 3], to: [1, N, 3] }),
      betasBatch: node(specs.reshape, { x: input("betas") }, { from: [K], to: [1, K] }),
      ...source.nodes,
      body: node(
        specs.bodyForward,
        { betas: out("betasBatch"), pose: source.pose, transl: source.transl, vTemplate: param("vTemplate"), shapeDirs: param("shapeDirs"), jRegressor: param("jRegressor"), weights: param("skinWeights") },
        { parents: SMPL_PARENTS }
      ),
      canonicalToLive: node(specs.composeTransforms, { live: out("body", "transforms"), fixed: param("inverseCanonical") }, {}),
      skinned: node(specs.lbs, { points: out("deformedBatch"), weights: param("queryWeights"), transforms: out("canonicalToLive") }, {}),
      world: node(specs.reshape, { x: out("skinned") }, { from: [1, N, 3], to: [N, 3] }),
      cameraPoints: node(specs.transformPoints, { points: out("world"), matrix: input("extrinsic") }, {}),
      scaleSigmoid: node(specs.activation, { x: dec.scale }, sigmoid),
      scaleWarmUp: node(specs.scheduleValue, {}, { schedule: warmUp(1, c.scaleWarmUpIterations ?? paperScaleWarmUp) }),
      scales: node(specs.scaleBy, { x: out("scaleSigmoid"), factor: out("scaleWarmUp") }, {}),
      colours: node(specs.activation, { x: dec.color }, sigmoid),
      render: node(
        specs.rasterize,
        { means: out("cameraPoints"), scales: out("scales"), colours: out("colours") },
        { gaussians: isotropic, opacity: opaque, ...c.camera, worldToCamera: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], near: 0.01, far: 100, background: [1, 1, 1], withDepth: false, smooth: false }
      ),
      l1: node(specs.l1, { prediction: out("render", "image"), target: input("image") }, {}),
      ssim: node(specs.ssim, { prediction: out("render", "image"), target: input("image") }, { window: 11, sigma: 1.5 }),
      offsetReg: node(specs.meanSquare, { x: out("offset") }, {}),
      scaleReg: node(specs.mean, { x: out("scales") }, {}),
      featureReg: node(specs.meanSquare, { x: param(features.tensor) }, {}),
      psnr: node(specs.psnr, { prediction: out("render", "image"), target: input("image") }, { peak: 1 }),
      ...perceptual.nodes,
      ...prior.nodes
    },
    losses: {
      l1: loss(out("l1"), c.losses.l1),
      ssim: loss(out("ssim", "loss"), c.losses.ssim),
      offset: loss(out("offsetReg"), timesConstant(c.losses.offset, N / (Q * Q))),
      scale: loss(out("scaleReg"), c.losses.scale),
      features: loss(out("featureReg"), c.losses.features),
      ...perceptual.losses,
      ...prior.losses
    },
    metrics: { psnr: out("psnr") },
    outputs: { image: out("render", "image"), alpha: out("render", "alpha"), points: out("world"), colours: out("colours") },
    updates: networks.updates
  })
}
