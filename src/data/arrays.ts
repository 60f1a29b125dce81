/** Reading and checking the arrays of a dataset's camera and body-fit files; every failure is a DatasetError naming the file and key. */
import { Effect } from "effect"
import { IoError } from "../io/errors.ts"
import { type NdArray, toFloat64 } from "../io/ndarray.ts"
import { DatasetError, fromIoError } from "./errors.ts"

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

/**
 * The most elements one array of a body fit may plausibly have for `frames` images: 72 pose numbers
 * per frame, for up to twice the frames (a fit of another length is then reported with its counts)
 * and at least 1000 rows. A file declaring more is refused before its data is read.
 */
export const bodyFitElements = (frames: number): number => 72 * Math.max(2 * frames, 1000)

/** Frame counts of poses and images must agree. */
export const sameFrameCount = (file: string, what: string, rows: number, frames: number): Effect.Effect<void, DatasetError> =>
  rows === frames ? Effect.void : Effect.fail(new DatasetError({ file, reason: `${what} has ${rows} frames but there are ${frames} images` }))

/** intrinsic [3, 3] with positive focal lengths and extrinsic [4, 4] with bottom row (0, 0, 0, 1), both finite. */
export const checkedCamera = (file: string, lookup: ArrayLookup) =>
  Effect.gen(function* () {
    const intrinsic = yield* checkedArray(file, lookup, "intrinsic", [[3, 3]])
    const extrinsic = yield* checkedArray(file, lookup, "extrinsic", [[4, 4]])
    const [fx, , , , fy] = intrinsic.data
    if (!((fx as number) > 0 && (fy as number) > 0)) return yield* new DatasetError({ file, reason: `[intrinsic] focal lengths must be positive, got fx ${fx}, fy ${fy}` })
    const bottom = Array.from(extrinsic.data.subarray(12))
    if (bottom.join(",") !== "0,0,0,1") return yield* new DatasetError({ file, reason: `[extrinsic] bottom row must be 0 0 0 1, got ${bottom.join(" ")}` })
    return { intrinsic: intrinsic.data, extrinsic: extrinsic.data }
  })
