/**
 * Training presets of the avatar: a typed schema (Effect Schema) whose every field documents its
 * default. `quick` is what a 2-core CPU trains in minutes (the demo's settings); `paper` is the
 * original's schedule (its code: 200 epochs per stage, batch 2, pose optimisation from
 * epoch 10, the 512 query map).
 *
 * How stage 1 refines the per-frame poses: every preset learns one pose row (72 axis-angle numbers)
 * and one translation per training frame with Adam (group "pose", rate 5e-3 from epoch `poseFrom`);
 * a frame's row takes a step only when its frame is in the batch, so about once per epoch.
 * - quick: from epoch 1, starting at the body fit smoothed along time (`poseStart`: a cubic
 *   B-spline through each pose number and the translation, a knot every 6 frames), refined as a
 *   trajectory (`poseRefinement`: the rows plus a B-spline correction along time with a knot every
 *   6 frames, whose knots every step updates with the gradients of the frames around them, so that
 *   the refinement does not thin out as the frames grow; poseTrajectory.ts), the rendered pose held
 *   towards its start by priors (`posePrior` 1 on the rotations, `translPrior` 10 on the
 *   translation). The fit's noise is independent from frame to frame, the person's motion is smooth.
 * - paper: the original's: from epoch 10, starting at the fit as it is, row by row, no priors.
 * Frames must be in time order (a video, possibly subsampled) for the smoothed start and the
 * trajectory; a dataset of unrelated views takes `poseStart: { _tag: "Fit" }` and
 * `poseRefinement: { _tag: "PerFrame" }`. Stage 2 freezes the refined poses (and the knots).
 */
import { Schema } from "effect"
import { poseEncoderDefaults } from "../modules/poseEncoder.ts"
import { paperScaleWarmUp, paperSizes, quickSizes } from "./config.ts"

const PositiveInt = Schema.Int.pipe(Schema.positive())

/** Stage 2's pose encoder halves its position map (featureSize) once per level: the side must divide by 2^levels. */
export const featureSizeMultiple = 2 ** poseEncoderDefaults.channels.length
const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

export const SizesSchema = Schema.Struct({
  querySize: PositiveInt.annotations({ description: "Side of the UV query map, one Gaussian per valid texel (512 in the original)." }),
  featureSize: PositiveInt.pipe(
    Schema.multipleOf(featureSizeMultiple, { message: (issue) => `featureSize must be a multiple of ${featureSizeMultiple} (stage 2's pose encoder halves it ${poseEncoderDefaults.channels.length} times), got ${String(issue.actual)}` })
  ).annotations({ description: `Side of the feature tensor and of the pose encoder's position map, a multiple of ${featureSizeMultiple} (128 in the original).` }),
  channels: PositiveInt.annotations({ description: "Feature channels (64 in the original)." }),
  hidden: PositiveInt.annotations({ description: "Decoder width (128 in the original)." })
})

export const PoseStartSchema = Schema.Union(
  Schema.TaggedStruct("Fit", {}).annotations({ description: "The body fit as it is (the original)." }),
  Schema.TaggedStruct("Smoothed", {
    knotSpacing: PositiveInt.annotations({ description: "Frames between the knots of the cubic B-spline through each pose number and the translation over time." })
  }).annotations({ description: "The body fit smoothed along time (frames in time order): its frame-to-frame noise removed before refinement." })
)

export const PoseRefinementSchema = Schema.Union(
  Schema.TaggedStruct("PerFrame", {}).annotations({ description: "Each frame's pose row on its own, one Adam step whenever its frame is in the batch (the original)." }),
  Schema.TaggedStruct("Trajectory", {
    knotSpacing: PositiveInt.annotations({ description: "Frames between the knots of the B-spline correction shared along time." }),
    rateScale: Schema.Number.pipe(Schema.positive()).annotations({ description: "The knots' learning rate as a fraction of the rows' (a knot takes a step at every step, a row once per epoch)." })
  }).annotations({ description: "The rows plus a cubic B-spline correction along time whose knots every step updates (frames in time order)." })
)

export const PresetSchema = Schema.Struct({
  name: Schema.String.annotations({ description: "The preset's name, recorded in a run's run.json." }),
  sizes: Schema.optionalWith(SizesSchema, { default: () => quickSizes }).annotations({ description: "Network and query-map sizes. Default quickSizes (128 / 64 / 32 / 64)." }),
  epochs: Schema.optionalWith(Schema.Struct({ stage1: PositiveInt, stage2: PositiveInt }), { default: () => ({ stage1: 8, stage2: 3 }) }).annotations({
    description: "Epochs per stage. Default 8 for stage 1 and 3 for stage 2 (the demo's)."
  }),
  batchSize: Schema.optionalWith(PositiveInt, { default: () => 1 }).annotations({ description: "Frames per step. Default 1." }),
  poseFrom: Schema.optionalWith(NonNegativeInt, { default: () => 1 }).annotations({
    description: "Epoch from which stage 1 refines the per-frame poses and translations (10 in the original for custom videos). Default 1."
  }),
  posePrior: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 1 }).annotations({
    description:
      "Weight of stage 1's prior of the per-frame poses towards the body fit (weight x mean (pose - fit)^2, radians): it keeps joints the images barely see (hands, toes, twists) from drifting. 0 turns it off. Default 1; the paper preset has 0 (the original has none)."
  }),
  translPrior: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 10 }).annotations({
    description:
      "Weight of stage 1's prior of the per-frame translations towards their start (weight x mean (transl - start)^2, metres): images barely see the body's distance from the camera, which otherwise drifts. 0 turns it off. Default 10; the paper preset has 0 (the original has none)."
  }),
  poseStart: Schema.optionalWith(PoseStartSchema, { default: () => ({ _tag: "Smoothed", knotSpacing: 6 }) as const }).annotations({
    description:
      "Where stage 1's per-frame poses and translations start: the body fit (`{ _tag: \"Fit\" }`, the original) or the fit smoothed along time (`{ _tag: \"Smoothed\", knotSpacing }`, frames in time order). Default Smoothed with a knot every 6 frames; the paper preset has Fit."
  }),
  poseRefinement: Schema.optionalWith(PoseRefinementSchema, { default: () => ({ _tag: "Trajectory", knotSpacing: 6, rateScale: 0.1 }) as const }).annotations({
    description:
      "How stage 1 refines the per-frame poses and translations: row by row (`{ _tag: \"PerFrame\" }`, the original) or as those rows plus a B-spline correction along time (`{ _tag: \"Trajectory\", knotSpacing }`, frames in time order), whose knots gather the gradients of the frames around them at every step. Default Trajectory with a knot every 6 frames at 0.1 of the rows' rate; the paper preset has PerFrame."
  }),
  checkpointEpochs: Schema.optionalWith(PositiveInt, { default: () => 1 }).annotations({ description: "Epochs between checkpoints. Default 1 (every epoch)." }),
  scaleWarmUp: Schema.optionalWith(PositiveInt, { default: () => paperScaleWarmUp }).annotations({
    description: "Iterations over which the Gaussians' scales ramp up from 0 (stage 2 continues the ramp). Default 1000, the original's."
  })
})

export type Preset = Schema.Schema.Type<typeof PresetSchema>
export type PresetInput = Schema.Schema.Encoded<typeof PresetSchema>

/** A preset from a partial description; every field left out takes its documented default. Throws on invalid values (a programming error). */
export const definePreset = (input: PresetInput): Preset => Schema.decodeUnknownSync(PresetSchema)(input)

export const presets = {
  quick: definePreset({ name: "quick" }),
  paper: definePreset({ name: "paper", sizes: paperSizes, epochs: { stage1: 200, stage2: 200 }, batchSize: 2, poseFrom: 10, posePrior: 0, translPrior: 0, poseStart: { _tag: "Fit" }, poseRefinement: { _tag: "PerFrame" }, checkpointEpochs: 10 })
} as const

export type PresetName = keyof typeof presets

export const isPresetName = (name: string): name is PresetName => Object.hasOwn(presets, name)
