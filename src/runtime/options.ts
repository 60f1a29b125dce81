/** Options of run(): a typed schema; every field documents its default. */
import { Schema } from "effect"

const PositiveInt = Schema.Int.pipe(Schema.positive())

export const RunOptions = Schema.Struct({
  epochs: Schema.optionalWith(PositiveInt, { default: () => 10 }).annotations({ description: "Passes over the dataset. Default 10." }),
  batchSize: Schema.optionalWith(PositiveInt, { default: () => 1 }).annotations({
    description: "Frames per step; the graph is evaluated once per frame and the losses averaged. Default 1."
  }),
  seed: Schema.optionalWith(Schema.Int, { default: () => 0 }).annotations({ description: "Seed of param initialisation and frame shuffling. Default 0." }),
  shuffle: Schema.optionalWith(Schema.Boolean, { default: () => true }).annotations({ description: "Visit frames in a seeded random order per epoch. Default true." }),
  checkpointDir: Schema.optional(Schema.String).annotations({
    description: "Folder for checkpoint.gvck: the run resumes from it if present and writes it atomically. Default: no checkpoints."
  }),
  checkpointEvery: Schema.optional(PositiveInt).annotations({ description: "Steps between checkpoints. Default: at the end of every epoch." }),
  maxSteps: Schema.optional(Schema.Int.pipe(Schema.nonNegative())).annotations({
    description: "Stop after this global step count even if epochs remain (a checkpoint is written). Default: no limit."
  })
})

export type RunOptions = Schema.Schema.Type<typeof RunOptions>
export type RunOptionsInput = Schema.Schema.Encoded<typeof RunOptions>

export const decodeRunOptions = Schema.decodeUnknown(RunOptions)
