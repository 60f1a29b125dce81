import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { findFfmpeg } from "../../src/video/ffmpeg.ts"

describe("findFfmpeg", () => {
  it("finds the binary bundled by @ffmpeg-installer/ffmpeg on linux-x64", { skip: process.platform !== "linux" || process.arch !== "x64" ? "the package bundles no binary test here" : false }, () => {
    const found = findFfmpeg({ PATH: "" })
    assert.equal(found?.source, "bundled")
    assert.match(found?.path ?? "", /@ffmpeg-installer/)
  })
  it("uses GAVATAR_FFMPEG when set, and finds nothing when it does not run", () => {
    assert.equal(findFfmpeg({ GAVATAR_FFMPEG: "/nonexistent/ffmpeg" }), undefined)
    const bundled = findFfmpeg({})
    if (bundled !== undefined) assert.deepEqual(findFfmpeg({ GAVATAR_FFMPEG: bundled.path }), { path: bundled.path, source: "env" })
  })
})
