import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { cleanMask, shrinkMask, temporalBlend } from "../../src/prepare/masks.ts"

/** A 12 x 8 picture from rows of "#" (inside) and "." (outside). */
const picture = (rows: ReadonlyArray<string>) => ({ inside: (i: number) => rows[Math.floor(i / rows[0]!.length)]![i % rows[0]!.length] === "#", width: rows[0]!.length, height: rows.length })

describe("masks", () => {
  it("keep the largest region, fill its holes, count a second person and see the border", () => {
    const p = picture([
      "............",
      ".#####...##.",
      ".#...#...##.",
      ".#####...##.",
      ".........##.",
      "............",
      "#...........",
      "............"
    ])
    const clean = cleanMask(p.inside, p.width, p.height)
    assert.equal(clean.area, 15) // the 5x3 ring with its hole filled
    assert.equal(clean.mask[2 * 12 + 2], 255) // the hole
    assert.equal(clean.mask[1 * 12 + 9], 0) // the second region is not the person
    assert.equal(clean.others, 1) // 8 pixels: more than a fifth of 15; the single pixel is not
    assert.equal(clean.touchesBorder, false)
  })
  it("blend each frame's probability with its neighbours, a quarter each", () => {
    const [a, b, c] = temporalBlend([Uint8Array.of(0), Uint8Array.of(255), Uint8Array.of(0)])
    assert.ok(Math.abs(b![0]! - 0.5) < 1e-6 && Math.abs(a![0]! - 0.25) < 1e-6 && Math.abs(c![0]! - 0.25) < 1e-6)
  })
  it("blend only with neighbours that hold the person: a dropped frame gets no ghost of them and lends them nothing", () => {
    const frames = [Uint8Array.of(255), Uint8Array.of(0), Uint8Array.of(255)]
    const joined = temporalBlend(frames)
    assert.ok(Math.abs(joined[1]![0]! - 0.5) < 1e-6) // the ghost: at the threshold, with nobody in the frame
    const [a, b, c] = temporalBlend(frames, [true, false, true])
    assert.deepEqual([a![0], b![0], c![0]], [1, 0, 1])
  })
  it("shrink by averaging areas", () => {
    const small = shrinkMask(Uint8Array.of(255, 0, 255, 255), 2, 2, 1, 1)
    assert.ok(Math.abs(small[0]! - 0.75) < 1e-6)
  })
})
