/** fast-check arbitraries for Float64 reference arrays. */
import * as fc from "fast-check"
import type { F64 } from "../ops/contract.ts"

export interface RangeOptions {
  readonly min?: number
  readonly max?: number
  /** Keep every value at least this far from these points (kinks such as 0 for ReLU). */
  readonly awayFrom?: ReadonlyArray<number>
  readonly margin?: number
}

/** A dense array of the given shape with values in [min, max] (default [-1, 1]), never NaN. */
export const arbF64 = (shape: ReadonlyArray<number>, options: RangeOptions = {}): fc.Arbitrary<F64> => {
  const size = shape.reduce((a, b) => a * b, 1)
  const min = options.min ?? -1
  const max = options.max ?? 1
  const margin = options.margin ?? 0.05
  const away = options.awayFrom ?? []
  const value = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .map((v) => away.reduce((x, k) => (Math.abs(x - k) < margin ? k + (x < k ? -margin : margin) : x), v))
  return fc.array(value, { minLength: size, maxLength: size }).map((values) => ({ shape: [...shape], data: Float64Array.from(values) }))
}

/** A small dimension size. */
export const arbDim = (min = 1, max = 5): fc.Arbitrary<number> => fc.integer({ min, max })
