/** Options of run(): a typed schema; every field documents its default. */
import { Schema } from "effect"
import type { HostTensor } from "../data/dataset.ts"
import type { TrainedState } from "./state.ts"

const PositiveInt = Schema.Int.pipe(Schema.positive())

const HostTensorSchema = Schema.declare(
  (u: unknown): u is HostTensor =>
    typeof u === "object" && u !== null && "shape" in u && Array.isArray(u.shape) && "data" in u && (u.data instanceof Float32Array || u.data instanceof Int32Array),
  { description: "{ shape, data: Float32Array | Int32Array }" }
)

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
  constants: Schema.optionalWith(
    Schema.Record({
      key: Schema.String,
      value: HostTensorSchema
    }),
    { default: () => ({}) }
  ).annotations({ description: "Values of the graph's Given params (body model arrays, UV query points), by key. Default none." }),
  initFrom: Schema.optional(
    Schema.declare((u: unknown): u is TrainedState => typeof u === "object" && u !== null && "params" in u && "frameParams" in u, { description: "a TrainedState" })
  ).annotations({
    description: "A trained state (e.g. stage 1's) whose params of the same name and size start this run (feature tensor, decoder, refined poses). Default: none."
  }),
  maxSteps: Schema.optional(Schema.Int.pipe(Schema.nonNegative())).annotations({
    description: "Stop after this global step count even if epochs remain (a checkpoint is written). Default: no limit."
  })
})

export type RunOptions = Schema.Schema.Type<typeof RunOptions>
export type RunOptionsInput = Schema.Schema.Encoded<typeof RunOptions>

export const decodeRunOptions = Schema.decodeUnknown(RunOptions)
