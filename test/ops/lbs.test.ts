import * as fc from "fast-check"
import { lbs } from "../../src/ops/lbs/lbs.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"

/** Rows of non-negative weights that sum to 1. */
const arbWeights = (n: number, j: number) =>
  arbF64([n, j], { min: 0.05, max: 1 }).map((w) => {
    const data = w.data.slice()
    for (let r = 0; r < n; r++) {
      let sum = 0
      for (let c = 0; c < j; c++) sum += data[r * j + c]!
      for (let c = 0; c < j; c++) data[r * j + c]! /= sum
    }
    return { shape: w.shape, data }
  })

const cases = fc.tuple(arbDim(1, 2), arbDim(1, 3), arbDim(1, 3)).chain(([b, n, j]) =>
  fc.record({
    inputs: fc.record({ points: arbF64([b, n, 3]), weights: arbWeights(n, j), transforms: arbF64([b, j, 4, 4], { min: -2, max: 2 }) }),
    attrs: fc.constant({})
  })
)

checkOp(lbs, { arbitrary: cases, tolerance: "lbs" })
