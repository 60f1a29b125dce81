/**
 * What the runtime trains on. A dataset is random-access (for seeded
 * shuffling) and also viewable as an Effect Stream of samples. Host tensors
 * are plain typed arrays; only the runtime turns them into tfjs tensors.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { DatasetError } from "./errors.ts"

export interface HostTensor {
  readonly shape: ReadonlyArray<number>
  readonly data: Float32Array | Int32Array
}

export interface Sample {
  /** Frame index in [0, size): selects the rows of per-frame params. */
  readonly index: number
  /** Keyed by graph input name. */
  readonly tensors: { readonly [key: string]: HostTensor }
}

export interface Dataset {
  readonly name: string
  /** Number of frames. */
  readonly size: number
  readonly sample: (index: number) => Effect.Effect<Sample, DatasetError>
  /** A per-frame field for all frames at once, shape [size, ...row], e.g. the body fit's poses for FromDataset inits. */
  readonly perFrame: (key: string) => Option.Option<HostTensor>
}

export const hostTensor = (shape: ReadonlyArray<number>, data: Float32Array | Int32Array): HostTensor => ({ shape, data })

/** All samples in order, as a stream. */
export const frames = (dataset: Dataset): Stream.Stream<Sample, DatasetError> =>
  Stream.fromIterable(Array.from({ length: dataset.size }, (_, i) => i)).pipe(Stream.mapEffect(dataset.sample))

/** Consecutive samples in groups of `size` (the last group may be shorter), as a stream. */
export const batches = (dataset: Dataset, size: number): Stream.Stream<ReadonlyArray<Sample>, DatasetError> =>
  frames(dataset).pipe(
    Stream.grouped(size),
    Stream.map((chunk) => Chunk.toReadonlyArray(chunk))
  )

/** A dataset held in memory (examples, tests). */
export const inMemory = (name: string, samples: ReadonlyArray<Sample["tensors"]>, perFrame: { readonly [key: string]: HostTensor } = {}): Dataset => ({
  name,
  size: samples.length,
  sample: (index) => Effect.succeed({ index, tensors: samples[index] as Sample["tensors"] }),
  perFrame: (key) => Option.fromNullable(perFrame[key])
})
