/** Options of `gavatar prepare`: a schema whose every field documents its default. */
import { Schema } from "effect"

const Positive = Schema.Number.pipe(Schema.positive())
const NonNegative = Schema.Number.pipe(Schema.nonNegative())
const PositiveInt = Schema.Int.pipe(Schema.positive())

export const PrepareOptionsSchema = Schema.Struct({
  fps: Schema.optional(Positive).annotations({ description: "Frames per second kept from a video. Default: every frame (or --every)." }),
  every: Schema.optional(PositiveInt).annotations({ description: "Keep every n-th frame. Default 1." }),
  start: Schema.optional(NonNegative).annotations({ description: "Seconds into the video where frames start. Default 0." }),
  end: Schema.optional(Positive).annotations({ description: "Seconds into the video where frames end. Default: the end." }),
  maxFrames: Schema.optional(PositiveInt).annotations({ description: "At most this many frames. Default: all." }),
  size: Schema.optionalWith(PositiveInt, { default: () => 512 }).annotations({ description: "Longer side of the written frames in pixels (the side of the square with crop). Default 512." }),
  crop: Schema.optionalWith(Schema.Boolean, { default: () => false }).annotations({
    description: "Write a square crop around the person (the same crop in every frame, so the camera stays one camera). Default false."
  }),
  fov: Schema.optionalWith(Positive, { default: () => 60 }).annotations({ description: "Field of view over the longer side, degrees (InstantAvatar's custom-video assumption). Default 60." }),
  focal: Schema.optional(Positive).annotations({
    description: "Focal length in pixels of the frames as written without --crop (longer side --size, or the video's own when smaller); replaces fov. Default: from fov."
  }),
  holdout: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 10 }).annotations({
    description: "Every k-th kept frame goes to test/ instead of train/; 0 holds none out. Default 10."
  })
})

export type PrepareOptions = Schema.Schema.Type<typeof PrepareOptionsSchema>
export type PrepareOptionsInput = Schema.Schema.Encoded<typeof PrepareOptionsSchema>

export const prepareOptions = (input: PrepareOptionsInput = {}): PrepareOptions => Schema.decodeUnknownSync(PrepareOptionsSchema)(input)

/**
 * The focal length in pixels of a decoded frame whose longer side is `side` pixels. --focal is given
 * for the frames as written without --crop, whose longer side is min(--size, the video's): with
 * --crop, frames are decoded larger (up to twice --size) before the square is cut.
 */
export const focalOf = (options: PrepareOptions, side: number): number =>
  options.focal === undefined ? side / 2 / Math.tan((options.fov * Math.PI) / 360) : (options.focal * side) / Math.min(options.size, side)

/** The fewest frames a fit takes (the temporal terms need three in a row, and one is held out). */
export const MIN_FRAMES = 4
