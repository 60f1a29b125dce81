/**
 * Every op's declarative spec, by name. No tfjs here: graphs import specs
 * from this module (or from an op's spec.ts). The registry (registry.ts)
 * must provide a kernel for each name; the compiler checks that.
 */
import { activationSpec } from "./activation/spec.ts"
import { addSpec } from "./add/spec.ts"
import { addBiasSpec } from "./addBias/spec.ts"
import { batchNormSpec } from "./batchNorm/spec.ts"
import { denseBlockSpec } from "./denseBlock/spec.ts"
import { bodyForwardSpec } from "./bodyForward/spec.ts"
import { composeTransformsSpec } from "./composeTransforms/spec.ts"
import { concatSpec } from "./concat/spec.ts"
import { conv2dSpec } from "./conv2d/spec.ts"
import { conv2dTransposeSpec } from "./conv2dTranspose/spec.ts"
import { gatherRowsSpec } from "./gatherRows/spec.ts"
import { l1Spec } from "./l1/spec.ts"
import { lbsSpec } from "./lbs/spec.ts"
import { linearSpec } from "./linear/spec.ts"
import { lpipsSpec } from "./lpips/spec.ts"
import { meanSpec } from "./mean/spec.ts"
import { meanSquareSpec } from "./meanSquare/spec.ts"
import { mseSpec } from "./mse/spec.ts"
import { posedPositionMapSpec } from "./posedPositionMap/spec.ts"
import { psnrSpec } from "./psnr/spec.ts"
import { rasterizeSpec } from "./rasterize/spec.ts"
import { reshapeSpec } from "./reshape/spec.ts"
import { resizeBilinearSpec } from "./resizeBilinear/spec.ts"
import { scaleBySpec } from "./scaleBy/spec.ts"
import { scheduleValueSpec } from "./scheduleValue/spec.ts"
import { skinRotationsSpec } from "./skinRotations/spec.ts"
import { ssimSpec } from "./ssim/spec.ts"
import { transformPointsSpec } from "./transformPoints/spec.ts"
import { weightedSquaresSpec } from "./weightedSquares/spec.ts"
import { temporalSmoothnessSpec } from "./temporalSmoothness/spec.ts"
import { softSilhouetteSpec } from "./softSilhouette/spec.ts"
import { projectSpec } from "./project/spec.ts"
import { gemanMcClureSpec } from "./gemanMcClure/spec.ts"
import { bendPriorSpec } from "./bendPrior/spec.ts"
import { boneDirectionsSpec } from "./boneDirections/spec.ts"

export const specs = {
  activation: activationSpec,
  add: addSpec,
  addBias: addBiasSpec,
  batchNorm: batchNormSpec,
  denseBlock: denseBlockSpec,
  bodyForward: bodyForwardSpec,
  composeTransforms: composeTransformsSpec,
  concat: concatSpec,
  conv2d: conv2dSpec,
  conv2dTranspose: conv2dTransposeSpec,
  gatherRows: gatherRowsSpec,
  l1: l1Spec,
  lbs: lbsSpec,
  linear: linearSpec,
  lpips: lpipsSpec,
  mean: meanSpec,
  meanSquare: meanSquareSpec,
  mse: mseSpec,
  posedPositionMap: posedPositionMapSpec,
  psnr: psnrSpec,
  rasterize: rasterizeSpec,
  reshape: reshapeSpec,
  resizeBilinear: resizeBilinearSpec,
  scaleBy: scaleBySpec,
  scheduleValue: scheduleValueSpec,
  skinRotations: skinRotationsSpec,
  ssim: ssimSpec,
  transformPoints: transformPointsSpec,
  bendPrior: bendPriorSpec,
  boneDirections: boneDirectionsSpec,
  gemanMcClure: gemanMcClureSpec,
  project: projectSpec,
  softSilhouette: softSilhouetteSpec,
  temporalSmoothness: temporalSmoothnessSpec,
  weightedSquares: weightedSquaresSpec
} as const

export type OpName = keyof typeof specs
export type SpecOf<K extends OpName> = (typeof specs)[K]
