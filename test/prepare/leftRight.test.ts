/**
 * Left-right swaps of the landmark detector undone along time (src/prepare/leftRight.ts): a frame
 * labelled the wrong way round between two right ones is swapped back (its 3D landmarks mirrored in
 * depth); a frame whose left and right points nearly coincide, and the first frame of a run, are kept.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { swapLeftRight, unswapLeftRight } from "../../src/prepare/leftRight.ts"

/** [33 * 3] landmarks of a person facing the camera, shifted by dx; left points on the image's right. */
const body = (dx: number, width = 1): Float32Array => {
  const lm = new Float32Array(99)
  const put = (k: number, x: number, y: number) => lm.set([200 + dx + x * width, y, 0.9], 3 * k)
  const rows: ReadonlyArray<readonly [number, number, number]> = [[11, 40, 100], [13, 55, 160], [15, 60, 220], [23, 20, 250], [25, 22, 330], [27, 24, 410]]
  for (const [left, x, y] of rows) {
    put(left, x, y)
    put(left + 1, -x, y)
  }
  put(0, 0, 60)
  return lm
}
const world = (): Float32Array => Float32Array.from({ length: 99 }, (_, i) => (i % 3 === 2 ? 0.1 * (i / 3) : i / 100))

describe("unswapLeftRight", () => {
  it("swaps back a frame labelled the wrong way round, and mirrors its 3D landmarks in depth", () => {
    const frames = [0, 2, 4, 6, 8].map((dx) => body(dx))
    frames[2] = swapLeftRight(frames[2]!)
    const worlds = frames.map(() => world())
    const fixed = unswapLeftRight(frames, worlds, frames.map(() => 0))
    assert.deepEqual(fixed.swapped, [2])
    assert.deepEqual(Array.from(fixed.landmarks[2]!), Array.from(body(4)))
    const w = fixed.world[2]!
    assert.deepEqual([w[33], w[34], w[35]], [worlds[2]![36], worlds[2]![37], -worlds[2]![38]!])
  })

  it("keeps side views (left and right nearly on one another) and the first frame of a run", () => {
    const side = [0, 1, 2, 3].map((dx) => body(dx, 0.02))
    side[2] = swapLeftRight(side[2]!)
    assert.deepEqual(unswapLeftRight(side, side.map(world), [0, 0, 0, 0]).swapped, [])
    const frames = [0, 2, 4, 6].map((dx) => body(dx))
    frames[2] = swapLeftRight(frames[2]!)
    frames[3] = swapLeftRight(frames[3]!)
    assert.deepEqual(unswapLeftRight(frames, frames.map(world), [0, 0, 1, 1]).swapped, [])
  })
})
