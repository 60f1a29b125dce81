/**
 * Every op's declarative spec, by name. No tfjs here: graphs import specs
 * from this module (or from an op's spec.ts). The registry (registry.ts)
 * must provide a kernel for each name; the compiler checks that.
 */
import { activationSpec } from "./activation/spec.ts"
import { addBiasSpec } from "./addBias/spec.ts"
import { l1Spec } from "./l1/spec.ts"
import { linearSpec } from "./linear/spec.ts"
import { mseSpec } from "./mse/spec.ts"
import { psnrSpec } from "./psnr/spec.ts"

export const specs = {
  activation: activationSpec,
  addBias: addBiasSpec,
  l1: l1Spec,
  linear: linearSpec,
  mse: mseSpec,
  psnr: psnrSpec
} as const

export type OpName = keyof typeof specs
export type SpecOf<K extends OpName> = (typeof specs)[K]
