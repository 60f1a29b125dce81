/** The example's data: frames of points on y = sin(3x) + x/2, each frame shifted by its own hidden offset. */
import type { Dataset } from "../src/data/dataset.ts"
import { hostTensor, inMemory } from "../src/data/dataset.ts"
import { createRng } from "../src/math/rng.ts"

export const trueCurve = (x: number): number => Math.sin(3 * x) + 0.5 * x

export interface CurveData {
  readonly dataset: Dataset
  /** The hidden per-frame offsets the run should recover. */
  readonly offsets: ReadonlyArray<number>
}

export const curveData = (frames = 8, points = 64, seed = 1): CurveData => {
  const rng = createRng(seed)
  const offsets = Array.from({ length: frames }, () => (rng.uniform() - 0.5) * 0.6)
  const samples = offsets.map((offset) => {
    const x = Float32Array.from({ length: points }, (_, i) => -1 + (2 * i) / (points - 1))
    const y = x.map((v) => trueCurve(v) + offset)
    return { x: hostTensor([points, 1], x), y: hostTensor([points, 1], y) }
  })
  return { dataset: inMemory("curve-frames", samples), offsets }
}
