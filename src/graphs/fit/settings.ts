/**
 * Settings of the body fit (graphs.fit): a schema whose every field documents its default. Loss
 * weights act on terms already made scale-free by the graph (keypoint residuals in units of 1% of
 * the image's longer side, silhouettes as fractions of pixels).
 */
import { Schema } from "effect"

const Positive = Schema.Number.pipe(Schema.positive())
const NonNegative = Schema.Number.pipe(Schema.nonNegative())
const PositiveInt = Schema.Int.pipe(Schema.positive())

export const FitWeightsSchema = Schema.Struct({
  keypoints: Schema.optionalWith(NonNegative, { default: () => 1 }).annotations({ description: "Geman-McClure keypoint reprojection, per landmark and frame. Default 1." }),
  bones: Schema.optionalWith(NonNegative, { default: () => 30 }).annotations({
    description: "Squared distance of the bones' unit directions from the detector's 3D estimates, per bone and frame (mean over bones). Default 30."
  }),
  silhouette: Schema.optionalWith(NonNegative, { default: () => 100 }).annotations({ description: "Mean squared difference of the body's soft silhouette and the mask. Default 100." }),
  bend: Schema.optionalWith(NonNegative, { default: () => 0.1 }).annotations({ description: "Knees and elbows bending the wrong way (exp prior). Default 0.1." }),
  rest: Schema.optionalWith(NonNegative, { default: () => 1 }).annotations({ description: "Pull of weakly seen rotations (wrists, feet, head, twists about arm and leg bones) to rest. Default 1." }),
  shape: Schema.optionalWith(NonNegative, { default: () => 0.05 }).annotations({ description: "Shape prior, sum of squared betas. Default 0.05." }),
  smoothJoints: Schema.optionalWith(NonNegative, { default: () => 2000 }).annotations({ description: "Squared acceleration of joint positions (metres per frame^2). Default 2000." }),
  smoothTransl: Schema.optionalWith(NonNegative, { default: () => 2000 }).annotations({ description: "Squared acceleration of the translation. Default 2000." })
})

export const FitSettingsSchema = Schema.Struct({
  weights: Schema.optionalWith(FitWeightsSchema, { default: () => Schema.decodeUnknownSync(FitWeightsSchema)({}) }).annotations({ description: "Loss weights; see FitWeightsSchema." }),
  orientSteps: Schema.optionalWith(PositiveInt, { default: () => 80 }).annotations({
    description: "Steps of the first stage: global orientation and translation from the torso keypoints (SMPLify's camera stage). Default 80."
  }),
  steps: Schema.optionalWith(PositiveInt, { default: () => 160 }).annotations({ description: "Steps of the second stage: every frame's pose and translation and the shared shape together. Default 160." }),
  rates: Schema.optionalWith(Schema.Struct({ pose: Positive, transl: Positive, shape: Positive }), { default: () => ({ pose: 0.03, transl: 0.01, shape: 0.03 }) }).annotations({
    description: "Adam learning rates: pose (radians), translation (metres), shape. Default 0.03, 0.01, 0.03."
  }),
  sigma: Schema.optionalWith(Positive, { default: () => 20 }).annotations({
    description: "Geman-McClure scale, in % of the image's longer side (SMPLify: 100 px on its crops). Default 20."
  }),
  silhouetteSide: Schema.optionalWith(PositiveInt, { default: () => 96 }).annotations({ description: "Longer side of the silhouettes compared in the fit, pixels. Default 96." }),
  silhouetteStride: Schema.optionalWith(PositiveInt, { default: () => 16 }).annotations({ description: "Every n-th body vertex is splatted into the silhouette. Default 16." })
})

export type FitSettings = Schema.Schema.Type<typeof FitSettingsSchema>
export type FitSettingsInput = Schema.Schema.Encoded<typeof FitSettingsSchema>
export type FitWeights = Schema.Schema.Type<typeof FitWeightsSchema>

export const fitSettings = (input: FitSettingsInput = {}): FitSettings => Schema.decodeUnknownSync(FitSettingsSchema)(input)
