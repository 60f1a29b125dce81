/**
 * Every op's declarative spec, by name. No tfjs here: graphs import specs
 * from this module (or from an op's spec.ts). The registry (registry.ts)
 * must provide a kernel for each name; the compiler checks that.
 */
import { activationSpec } from "./activation/spec.ts"
import { addBiasSpec } from "./addBias/spec.ts"
import { batchNormSpec } from "./batchNorm/spec.ts"
import { concatSpec } from "./concat/spec.ts"
import { conv2dSpec } from "./conv2d/spec.ts"
import { conv2dTransposeSpec } from "./conv2dTranspose/spec.ts"
import { gatherRowsSpec } from "./gatherRows/spec.ts"
import { l1Spec } from "./l1/spec.ts"
import { linearSpec } from "./linear/spec.ts"
import { lpipsSpec } from "./lpips/spec.ts"
import { meanSquareSpec } from "./meanSquare/spec.ts"
import { mseSpec } from "./mse/spec.ts"
import { psnrSpec } from "./psnr/spec.ts"
import { resizeBilinearSpec } from "./resizeBilinear/spec.ts"
import { ssimSpec } from "./ssim/spec.ts"

export const specs = {
  activation: activationSpec,
  addBias: addBiasSpec,
  batchNorm: batchNormSpec,
  concat: concatSpec,
  conv2d: conv2dSpec,
  conv2dTranspose: conv2dTransposeSpec,
  gatherRows: gatherRowsSpec,
  l1: l1Spec,
  linear: linearSpec,
  lpips: lpipsSpec,
  meanSquare: meanSquareSpec,
  mse: mseSpec,
  psnr: psnrSpec,
  resizeBilinear: resizeBilinearSpec,
  ssim: ssimSpec
} as const

export type OpName = keyof typeof specs
export type SpecOf<K extends OpName> = (typeof specs)[K]
