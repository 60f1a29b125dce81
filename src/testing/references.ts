/**
 * The Float64 reference of every op, by op name: tests and benches compare kernels with these.
 * Production code never imports a reference; the compiler checks that the table is complete.
 */
import type { AnyOpSpec, AttrsOf, OptionalInputsOf, OutputsOf, RequiredInputsOf } from "../dsl/op.ts"
import type { KernelTarget, OpDef, Reference, ResolvedOpDef } from "../ops/contract.ts"
import { prepareOp } from "../ops/apply.ts"
import type { OpName, SpecOf } from "../ops/specs.ts"
import { activationReference } from "../ops/activation/activation.ref.ts"
import { addReference } from "../ops/add/add.ref.ts"
import { addBiasReference } from "../ops/addBias/addBias.ref.ts"
import { batchNormReference } from "../ops/batchNorm/batchNorm.ref.ts"
import { denseBlockReference } from "../ops/denseBlock/denseBlock.ref.ts"
import { bodyForwardReference } from "../ops/bodyForward/bodyForward.ref.ts"
import { composeTransformsReference } from "../ops/composeTransforms/composeTransforms.ref.ts"
import { concatReference } from "../ops/concat/concat.ref.ts"
import { conv2dReference } from "../ops/conv2d/conv2d.ref.ts"
import { conv2dTransposeReference } from "../ops/conv2dTranspose/conv2dTranspose.ref.ts"
import { gatherRowsReference } from "../ops/gatherRows/gatherRows.ref.ts"
import { l1Reference } from "../ops/l1/l1.ref.ts"
import { lbsReference } from "../ops/lbs/lbs.ref.ts"
import { linearReference } from "../ops/linear/linear.ref.ts"
import { lpipsReference } from "../ops/lpips/lpips.ref.ts"
import { meanReference } from "../ops/mean/mean.ref.ts"
import { meanSquareReference } from "../ops/meanSquare/meanSquare.ref.ts"
import { mseReference } from "../ops/mse/mse.ref.ts"
import { posedPositionMapReference } from "../ops/posedPositionMap/posedPositionMap.ref.ts"
import { psnrReference } from "../ops/psnr/psnr.ref.ts"
import { rasterizeReference } from "../ops/rasterize/rasterize.ref.ts"
import { reshapeReference } from "../ops/reshape/reshape.ref.ts"
import { resizeBilinearReference } from "../ops/resizeBilinear/resizeBilinear.ref.ts"
import { scaleByReference } from "../ops/scaleBy/scaleBy.ref.ts"
import { scheduleValueReference } from "../ops/scheduleValue/scheduleValue.ref.ts"
import { skinRotationsReference } from "../ops/skinRotations/skinRotations.ref.ts"
import { ssimReference } from "../ops/ssim/ssim.ref.ts"
import { transformPointsReference } from "../ops/transformPoints/transformPoints.ref.ts"
import { weightedSquaresReference } from "../ops/weightedSquares/weightedSquares.ref.ts"
import { temporalSmoothnessReference } from "../ops/temporalSmoothness/temporalSmoothness.ref.ts"
import { softSilhouetteReference } from "../ops/softSilhouette/softSilhouette.ref.ts"
import { boneDirectionsReference } from "../ops/boneDirections/boneDirections.ref.ts"
import { projectReference } from "../ops/project/project.ref.ts"
import { gemanMcClureReference } from "../ops/gemanMcClure/gemanMcClure.ref.ts"
import { bendPriorReference } from "../ops/bendPrior/bendPrior.ref.ts"

export type ReferenceOf<S extends AnyOpSpec> = Reference<RequiredInputsOf<S>, OutputsOf<S>, AttrsOf<S>, OptionalInputsOf<S>>

export const references = {
  activation: activationReference,
  add: addReference,
  addBias: addBiasReference,
  batchNorm: batchNormReference,
  denseBlock: denseBlockReference,
  bodyForward: bodyForwardReference,
  composeTransforms: composeTransformsReference,
  concat: concatReference,
  conv2d: conv2dReference,
  conv2dTranspose: conv2dTransposeReference,
  gatherRows: gatherRowsReference,
  l1: l1Reference,
  lbs: lbsReference,
  linear: linearReference,
  lpips: lpipsReference,
  mean: meanReference,
  meanSquare: meanSquareReference,
  mse: mseReference,
  posedPositionMap: posedPositionMapReference,
  psnr: psnrReference,
  rasterize: rasterizeReference,
  reshape: reshapeReference,
  resizeBilinear: resizeBilinearReference,
  scaleBy: scaleByReference,
  scheduleValue: scheduleValueReference,
  skinRotations: skinRotationsReference,
  ssim: ssimReference,
  transformPoints: transformPointsReference,
  bendPrior: bendPriorReference,
  gemanMcClure: gemanMcClureReference,
  project: projectReference,
  softSilhouette: softSilhouetteReference,
  boneDirections: boneDirectionsReference,
  temporalSmoothness: temporalSmoothnessReference,
  weightedSquares: weightedSquaresReference
} as const satisfies { readonly [K in OpName]: ReferenceOf<SpecOf<K>> }

/** The reference of a built-in op, found by its spec's name. */
export const referenceOf = <S extends AnyOpSpec>(def: OpDef<S>): ReferenceOf<S> => {
  const table: { readonly [name: string]: unknown } = references
  const found = table[def.spec.name]
  if (found === undefined) throw new Error(`op "${def.spec.name}" has no Float64 reference in src/testing/references.ts`)
  return found as ReferenceOf<S>
}

/** An op, its kernel chosen for a backend, with its Float64 reference: what every check compares. */
export interface TestedOp<S extends AnyOpSpec> extends ResolvedOpDef<S> {
  readonly reference: ReferenceOf<S>
}

/** A built-in op, its kernel chosen for `target`, paired with its reference from the table. */
export const testedOp = <S extends AnyOpSpec>(def: OpDef<S>, target: KernelTarget): TestedOp<S> => ({ ...prepareOp(def, target), reference: referenceOf(def) })
