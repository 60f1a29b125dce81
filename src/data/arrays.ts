/** Reading and checking the arrays of a dataset's camera and body-fit files; every failure is a DatasetError naming the file and key. */
import { Effect } from "effect"
import { IoError } from "../io/errors.ts"
import { type NdArray, toFloat64 } from "../io/ndarray.ts"
import { DatasetError } from "../runtime/errors.ts"
import { fromIoError } from "./recording.ts"

export type ArrayLookup = (key: string) => Effect.Effect<NdArray, IoError>

const shapeText = (shape: ReadonlyArray<number | null>): string => `[${shape.map((d) => d ?? "N").join(", ")}]`

const matches = (shape: ReadonlyArray<number>, pattern: ReadonlyArray<number | null>): boolean =>
  shape.length === pattern.length && pattern.every((d, i) => d === null || d === shape[i])

/**
 * The array `key` as float64, if its shape matches one of `shapes` (null = any size)
 * and every element is finite.
 */
export const checkedArray = (file: string, lookup: ArrayLookup, key: string, shapes: ReadonlyArray<ReadonlyArray<number | null>>) =>
  Effect.gen(function* () {
    const array = yield* Effect.mapError(lookup(key), fromIoError)
    if (!shapes.some((s) => matches(array.shape, s))) {
      return yield* new DatasetError({ file, reason: `[${key}] expected shape ${shapes.map(shapeText).join(" or ")}, got [${array.shape.join(", ")}]` })
    }
    const data = toFloat64(array)
    const bad = data.findIndex((x) => !Number.isFinite(x))
    if (bad >= 0) return yield* new DatasetError({ file, reason: `[${key}] element ${bad} is ${data[bad]}` })
    return { shape: array.shape, data }
  })

/** A lookup into a dict read from a torch file. */
export const dictLookup = (file: string, dict: unknown): ArrayLookup => (key) => {
  const value = dict instanceof Map ? dict.get(key) : undefined
  return value !== undefined && typeof value === "object" && value !== null && "dtype" in value
    ? Effect.succeed(value as NdArray)
    : Effect.fail(new IoError({ file, key, reason: `no tensor "${key}"` }))
}

/** Frame counts of poses and images must agree. */
export const sameFrameCount = (file: string, what: string, rows: number, frames: number): Effect.Effect<void, DatasetError> =>
  rows === frames ? Effect.void : Effect.fail(new DatasetError({ file, reason: `${what} has ${rows} frames but there are ${frames} images` }))
