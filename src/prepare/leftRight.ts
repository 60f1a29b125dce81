/**
 * Left-right swaps of the landmark detector, undone along time. BlazePose sometimes labels a whole
 * body the wrong way round for a frame or a few (most often on side and back views: the body seen
 * from behind looks like a mirrored body seen from the front); the fit would then turn that frame
 * round. Going through each run of consecutive frames in order, a frame's landmarks (2D and 3D) are
 * swapped left for right when, swapped, they lie much nearer the previous frame's (already
 * corrected) landmarks: the score-weighted mean distance of the paired landmarks (shoulders,
 * elbows, wrists, hips, knees, ankles) swapped is below SWAP_RATIO of the distance as detected, and
 * the distance as detected is above MIN_JUMP torso lengths (so frames whose left and right points
 * nearly coincide, e.g. a side view, are never swapped on noise). The first frame of a run is kept
 * as detected. A swapped frame's 3D landmarks are also mirrored in depth (z -> -z about the hips):
 * a body seen from behind projects as its mirror image seen from the front, so the detector's 3D
 * answer for the mirrored body is the real body reflected through the image plane.
 */
import { torsoInImage } from "./init.ts"

/** BlazePose's left landmarks and their right partners. */
const PAIRS: ReadonlyArray<readonly [number, number]> = [
  [1, 4], [2, 5], [3, 6], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16], [17, 18],
  [19, 20], [21, 22], [23, 24], [25, 26], [27, 28], [29, 30], [31, 32]
]
/** The pairs that decide: shoulders, elbows, wrists, hips, knees, ankles. */
const DECIDING: ReadonlyArray<readonly [number, number]> = [[11, 12], [13, 14], [15, 16], [23, 24], [25, 26], [27, 28]]
const SWAP_RATIO = 0.5
const MIN_JUMP = 0.15

/** [33] the landmark each index reads from when swapped. */
const SWAPPED_INDEX: ReadonlyArray<number> = (() => {
  const index = Array.from({ length: 33 }, (_, k) => k)
  for (const [l, r] of PAIRS) [index[l], index[r]] = [r, l]
  return index
})()

/** [33 * 3] rows swapped left for right; with `mirrorDepth` the third column is negated as well. */
export const swapLeftRight = (rows: Float32Array, mirrorDepth = false): Float32Array => {
  const out = new Float32Array(rows.length)
  SWAPPED_INDEX.forEach((from, k) => {
    out.set(rows.subarray(3 * from, 3 * from + 3), 3 * k)
    if (mirrorDepth) out[3 * k + 2] = -out[3 * k + 2]!
  })
  return out
}

/** Score-weighted mean distance (px) of the deciding landmarks of `a`, read through `index`, from `b`'s. */
const distance = (a: Float32Array, b: Float32Array, swapped: boolean): number => {
  let sum = 0, weight = 0
  for (const pair of DECIDING)
    for (const k of pair) {
      const from = swapped ? SWAPPED_INDEX[k]! : k
      const w = Math.min(a[3 * from + 2]!, b[3 * k + 2]!)
      sum += w * Math.hypot(a[3 * from]! - b[3 * k]!, a[3 * from + 1]! - b[3 * k + 1]!)
      weight += w
    }
  return weight > 0 ? sum / weight : 0
}

export interface Unswapped {
  /** Per frame [33 * 3]: x, y, score. */
  readonly landmarks: ReadonlyArray<Float32Array>
  /** Per frame [33 * 3]: the 3D landmarks. */
  readonly world: ReadonlyArray<Float32Array>
  /** Frames (indices into the input) that were swapped. */
  readonly swapped: ReadonlyArray<number>
}

/** The landmarks with left-right swaps undone, frame by frame within each run (`runs[i]`: frame i's run). */
export const unswapLeftRight = (landmarks: ReadonlyArray<Float32Array>, world: ReadonlyArray<Float32Array>, runs: ReadonlyArray<number>): Unswapped => {
  const outLandmarks: Float32Array[] = []
  const outWorld: Float32Array[] = []
  const swapped: number[] = []
  landmarks.forEach((lm, i) => {
    const previous = i > 0 && runs[i] === runs[i - 1] ? outLandmarks[i - 1]! : undefined
    const asDetected = previous ? distance(lm, previous, false) : 0
    const swap = previous !== undefined && asDetected > MIN_JUMP * torsoInImage(previous).length && distance(lm, previous, true) < SWAP_RATIO * asDetected
    outLandmarks.push(swap ? swapLeftRight(lm) : lm)
    outWorld.push(swap ? swapLeftRight(world[i]!, true) : world[i]!)
    if (swap) swapped.push(i)
  })
  return { landmarks: outLandmarks, world: outWorld, swapped }
}
