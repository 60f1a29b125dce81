/**
 * The op registry: a kernel and a reference for every spec in specs.ts, as a
 * value checked for completeness by the compiler, provided to the runtime as
 * a Layer so that each test can build its own.
 */
import { Context, Layer } from "effect"
import { composeTransforms } from "./composeTransforms/composeTransforms.ts"
import { scaleBy } from "./scaleBy/scaleBy.ts"
import { scheduleValue } from "./scheduleValue/scheduleValue.ts"
import { skinRotations } from "./skinRotations/skinRotations.ts"
import { transformPoints } from "./transformPoints/transformPoints.ts"
import { weightedSquares } from "./weightedSquares/weightedSquares.ts"
import { temporalSmoothness } from "./temporalSmoothness/temporalSmoothness.ts"
import { softSilhouette } from "./softSilhouette/softSilhouette.ts"
import { boneDirections } from "./boneDirections/boneDirections.ts"
import { project } from "./project/project.ts"
import { gemanMcClure } from "./gemanMcClure/gemanMcClure.ts"
import { bendPrior } from "./bendPrior/bendPrior.ts"
import { activation } from "./activation/activation.ts"
import { add } from "./add/add.ts"
import { addBias } from "./addBias/addBias.ts"
import { batchNorm } from "./batchNorm/batchNorm.ts"
import { denseBlock } from "./denseBlock/denseBlock.ts"
import { bodyForward } from "./bodyForward/bodyForward.ts"
import { concat } from "./concat/concat.ts"
import type { OpDef } from "./contract.ts"
import { conv2d } from "./conv2d/conv2d.ts"
import { conv2dTranspose } from "./conv2dTranspose/conv2dTranspose.ts"
import { gatherRows } from "./gatherRows/gatherRows.ts"
import { l1 } from "./l1/l1.ts"
import { lbs } from "./lbs/lbs.ts"
import { linear } from "./linear/linear.ts"
import { lpips } from "./lpips/lpips.ts"
import { mean } from "./mean/mean.ts"
import { meanSquare } from "./meanSquare/meanSquare.ts"
import { mse } from "./mse/mse.ts"
import { posedPositionMap } from "./posedPositionMap/posedPositionMap.ts"
import { psnr } from "./psnr/psnr.ts"
import { rasterize } from "./rasterize/rasterize.ts"
import { reshape } from "./reshape/reshape.ts"
import { resizeBilinear } from "./resizeBilinear/resizeBilinear.ts"
import { ssim } from "./ssim/ssim.ts"
import type { OpName, SpecOf } from "./specs.ts"

export const builtinOps = {
  activation,
  add,
  addBias,
  batchNorm,
  denseBlock,
  bodyForward,
  composeTransforms,
  concat,
  conv2d,
  conv2dTranspose,
  gatherRows,
  l1,
  lbs,
  linear,
  lpips,
  mean,
  meanSquare,
  mse,
  posedPositionMap,
  psnr,
  rasterize,
  reshape,
  resizeBilinear,
  scaleBy,
  scheduleValue,
  skinRotations,
  ssim,
  transformPoints,
  bendPrior,
  gemanMcClure,
  project,
  softSilhouette,
  boneDirections,
  temporalSmoothness,
  weightedSquares
} as const satisfies { readonly [K in OpName]: OpDef<SpecOf<K>> }

/** Kernels by op name. A graph's node with an op missing here is a GraphError at compile time. */
export interface OpRegistry {
  /** The op a graph node names (graph nodes carry any op spec, so the name is a plain string). */
  readonly lookup: (name: string) => OpDef | undefined
  readonly names: ReadonlyArray<string>
}

export class Ops extends Context.Tag("gavatar/Ops")<Ops, OpRegistry>() {}

export const registryOf = (defs: { readonly [name: string]: OpDef }): OpRegistry => {
  const byName = new Map(Object.values(defs).map((d) => [d.spec.name, d]))
  return { lookup: (name) => byName.get(name), names: [...byName.keys()] }
}

export const BuiltinOps: Layer.Layer<Ops> = Layer.succeed(Ops, registryOf(builtinOps))
