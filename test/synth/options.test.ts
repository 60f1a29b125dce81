/** Command-line options of `npm run synth`, and the contact sheet's layout. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import type { Image8 } from "../../src/io/png.ts"
import { contactSheet } from "../../src/synth/contactSheet.ts"
import { DEFAULT_OPTIONS } from "../../src/synth/generate.ts"
import { parseOptions } from "../../src/synth/options.ts"

describe("synth options", () => {
  it("defaults, overrides and the -- separator", () => {
    assert.deepEqual(parseOptions(["--", "--out", "d"]), { _tag: "Run", out: "d", options: DEFAULT_OPTIONS })
    const parsed = parseOptions(["--out", "d", "--frames", "3", "--size", "64", "--noise", "5,2", "--seed", "7", "--test-frames", "2", "--novel-frames", "4"])
    assert.equal(parsed._tag, "Run")
    if (parsed._tag === "Run") assert.deepEqual(parsed.options, { ...DEFAULT_OPTIONS, frames: 3, size: 64, noise: { degrees: 5, centimetres: 2 }, seed: 7, testFrames: 2, novelPoseFrames: 4 })
  })

  it("names what is wrong", () => {
    const reason = (argv: string[]) => {
      const p = parseOptions(argv)
      return p._tag === "Invalid" ? p.reason : p._tag
    }
    assert.match(reason([]), /--out DIR is required/)
    assert.match(reason(["--out", "d", "--frames", "0"]), /--frames must be an integer >= 1, got "0"/)
    assert.match(reason(["--out", "d", "--noise", "5"]), /--noise must be DEG,CM/)
    assert.match(reason(["--out", "d", "--bogus"]), /bogus/)
    assert.equal(reason(["--help"]), "Help")
  })
})

describe("contact sheet", () => {
  it("one band per split and ten frames a row, frames shrunk by 2", () => {
    const frame = (value: number): Image8 => ({ width: 128, height: 128, channels: 3, data: new Uint8Array(128 * 128 * 3).fill(value) })
    const sheet = contactSheet([
      { name: "train", images: Array.from({ length: 12 }, () => frame(10)) },
      { name: "test", images: [frame(20)] }
    ])
    assert.equal(sheet.width, 2 + 10 * (64 + 2))
    assert.equal(sheet.height, 2 * (6 + 2) + 3 * (64 + 2))
    // First train frame's top-left pixel, just under the band.
    assert.equal(sheet.data[3 * (8 * sheet.width + 2)], 10)
  })
})
