/**
 * The avatar graphs' configuration: sizes, loss weights and learning rates of
 * GaussianAvatar (CVPR 2024) as its original code trains, with the camera the rasteriser renders
 * through. `paperSizes` are the original's; `quickSizes` fit a 2-core CPU.
 */
import type { Scalar } from "../../dsl/schedule.ts"
import { fromEpoch, stepDecay } from "../../dsl/schedule.ts"
import type { AvatarDims } from "./setup.ts"
import type { LpipsWeights } from "../../lpips/alexnet.ts"
import type { PoseStart } from "./poseRefinement.ts"
import type { PoseRefinement } from "./poseTrajectory.ts"

export interface AvatarSizes {
  /** Side of the UV query map (one Gaussian per valid texel); 512 in the original. */
  readonly querySize: number
  /** Side of the learnable feature tensor; 128 in the original. */
  readonly featureSize: number
  /** Feature channels; 64 in the original. */
  readonly channels: number
  /** Decoder width; 128 in the original. */
  readonly hidden: number
}

export const paperSizes: AvatarSizes = { querySize: 512, featureSize: 128, channels: 64, hidden: 128 }
export const quickSizes: AvatarSizes = { querySize: 128, featureSize: 64, channels: 32, hidden: 64 }

/** A pinhole camera with pixel centres at (j + 0.5, i + 0.5) (the rasteriser's convention). */
export interface RenderCamera {
  readonly width: number
  readonly height: number
  readonly fx: number
  readonly fy: number
  readonly cx: number
  readonly cy: number
}

/** Intrinsics as dataset files store them (OpenCV: pixel centres at integers) become the rasteriser's camera. */
export const renderCamera = (intrinsic: ArrayLike<number>, width: number, height: number): RenderCamera => ({
  width,
  height,
  fx: intrinsic[0] as number,
  fy: intrinsic[4] as number,
  cx: (intrinsic[2] as number) + 0.5,
  cy: (intrinsic[5] as number) + 0.5
})

export interface AvatarLosses {
  readonly l1: Scalar
  readonly ssim: Scalar
  readonly offset: Scalar
  readonly scale: Scalar
  readonly features: Scalar
  /** LPIPS, used only when the config has LPIPS weights; default `lpipsLoss`. */
  readonly lpips?: Scalar
  /**
   * Prior of the per-frame pose towards its start (the body fit, or the fit smoothed along time):
   * weight x mean over the 72 numbers of (pose - start)^2 (radians). Absent or 0: no such term (the
   * original has none).
   */
  readonly posePrior?: Scalar
  /**
   * Prior of the per-frame translation towards its start: weight x mean over the 3 numbers of
   * (transl - start)^2 (metres). Absent or 0: no such term (the original has none).
   */
  readonly translPrior?: Scalar
}

/** The original's LPIPS weight in both stages: 0.2 from epoch 30 (zero-based), 0 before. */
export const lpipsLoss: Scalar = fromEpoch(30, 0.2)

/** The original's stage-1 weights: 0.8 L1, 0.2 (1 - SSIM), 10 * 0.85^floor(epoch / 20) offsets, 0.03 scales, 1.0 features, LPIPS 0.2 from epoch 30. */
export const stage1Losses: AvatarLosses = { l1: 0.8, ssim: 0.2, offset: stepDecay(10, 0.85, 20), scale: 0.03, features: 1, lpips: lpipsLoss }

export interface AvatarRates {
  readonly decoder: Scalar
  readonly features: Scalar
  readonly pose: Scalar
}

/** Stage 1: decoder 3e-3, feature tensor 5e-4, per-frame pose and translation 5e-3 from epoch `poseFrom` (10 for custom videos). */
export const stage1Rates = (poseFrom: number): AvatarRates => ({ decoder: 3e-3, features: 5e-4, pose: fromEpoch(poseFrom, 5e-3) })

/** The original multiplies the scales by iteration / 1000 during its first 1000 iterations (of ~11k). */
export const paperScaleWarmUp = 1000

export interface Stage1Config {
  readonly dims: AvatarDims
  readonly sizes: AvatarSizes
  readonly camera: RenderCamera
  readonly losses: AvatarLosses
  readonly rates: AvatarRates
  /** Where the per-frame poses start: the body fit (default, the original) or the fit smoothed along time (poseRefinement.ts). */
  readonly poseStart?: PoseStart
  /**
   * How the per-frame poses are refined: row by row (default, the original) or as a B-spline
   * trajectory plus the rows (poseTrajectory.ts), whose knot count needs `frames`.
   */
  readonly poseRefinement?: PoseRefinement
  /** The training frames; sizes a pose trajectory's knots (absent: a graph rebuilt for rendering, which drops them). */
  readonly frames?: number
  /**
   * LPIPS weights read from the user's files (src/lpips/weights.ts, src/avatar/lpips.ts). Given, the
   * training graphs have an LPIPS loss term (weight `losses.lpips`); absent, they have none (never
   * another network in its place).
   */
  readonly lpips?: LpipsWeights
  /**
   * Iterations over which the scales ramp up from 0 (default paperScaleWarmUp, as the original, whose
   * ~11k iterations finish it early in stage 1).
   */
  readonly scaleWarmUpIterations?: number
  /**
   * For stage 2: the iterations stage 1 ran. Stage 2 continues the ramp from there (min(1, (stage1 +
   * it) / warm-up)). Absent, stage 2 uses the full scales as the original (right when stage 1 ran past
   * the warm-up; a shorter stage 1 would hand stage 2 a decoder whose scales then come out too large).
   */
  readonly stage1Iterations?: number
}

/** Prefix of the avatar decoder's names in stage 1 and 2 (src/graphs/modules/decoder.ts decoderNames gives the names inside). */
export const decoderPrefix = "decoder"
