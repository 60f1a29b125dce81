/**
 * The ffmpeg decoder wrapper on tiny generated videos (the bundled ffmpeg's test source, 160x96):
 * frame selection (--every, --max-frames, --fps, --start/--end), the longer side scaled, a phone
 * rotation flag applied, and a file that is not a video failing with VideoError naming it.
 */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { before, describe, it } from "node:test"
import { readPng } from "../../src/io/png.ts"
import { decodeArguments, decodeVideo } from "../../src/video/decode.ts"
import { findFfmpeg } from "../../src/video/ffmpeg.ts"
import { tempDir } from "../runtime/helpers.ts"

const ffmpeg = findFfmpeg()
const dir = tempDir("decode")
const wide = join(dir, "wide.mp4")
const rotated = join(dir, "rotated.mp4")
let folders = 0
const fresh = () => {
  const f = join(dir, `frames-${folders++}`)
  mkdirSync(f)
  return f
}

describe("decodeVideo", { skip: ffmpeg ? false : "no ffmpeg here (npm ci installs the bundled one)" }, () => {
  before(() => {
    const make = (args: ReadonlyArray<string>) => assert.equal(spawnSync(ffmpeg!.path, ["-hide_banner", "-loglevel", "error", "-y", ...args]).status, 0)
    make(["-f", "lavfi", "-i", "testsrc=size=160x96:rate=10", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", wide])
    make(["-i", wide, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated])
  })
  it("keeps every frame, scaled to the longer side", async () => {
    const frames = await Effect.runPromise(decodeVideo(wide, fresh(), { longSide: 80 }))
    assert.equal(frames.length, 20)
    const first = await Effect.runPromise(readPng(frames[0]!))
    assert.deepEqual([first.width, first.height], [80, 48])
  })
  it("chooses frames by --every, --max-frames, --fps and --start/--end", async () => {
    assert.equal((await Effect.runPromise(decodeVideo(wide, fresh(), { longSide: 40, every: 3 }))).length, 7)
    assert.equal((await Effect.runPromise(decodeVideo(wide, fresh(), { longSide: 40, maxFrames: 4 }))).length, 4)
    assert.equal((await Effect.runPromise(decodeVideo(wide, fresh(), { longSide: 40, fps: 2 }))).length, 4)
    const window = (await Effect.runPromise(decodeVideo(wide, fresh(), { longSide: 40, start: 0.5, end: 1.5 }))).length
    assert.ok(window >= 9 && window <= 11, `${window} frames in one second at 10 fps`)
  })
  it("applies a phone video's rotation flag", async () => {
    const frames = await Effect.runPromise(decodeVideo(rotated, fresh(), { longSide: 80, maxFrames: 1 }))
    const first = await Effect.runPromise(readPng(frames[0]!))
    assert.deepEqual([first.width, first.height], [48, 80])
  })
  it("never enlarges a small video", async () => {
    const first = await Effect.runPromise(readPng((await Effect.runPromise(decodeVideo(wide, fresh(), { longSide: 1000, maxFrames: 1 })))[0]!))
    assert.deepEqual([first.width, first.height], [160, 96])
  })
  it("fails with VideoError naming a file that is not a video, or a range without frames", async () => {
    const text = join(dir, "notes.mp4")
    writeFileSync(text, "not a video")
    const bad = await Effect.runPromise(Effect.flip(decodeVideo(text, fresh(), { longSide: 80 })))
    assert.equal(bad._tag, "VideoError")
    assert.match(bad.message, /notes\.mp4: not a video ffmpeg can read/)
    const late = await Effect.runPromise(Effect.flip(decodeVideo(wide, fresh(), { longSide: 80, start: 30 })))
    assert.match(late.message, /no frame in the chosen time range/)
  })
})

it("decodeArguments: seeks before the input, selects, scales and numbers from 0", () => {
  const args = decodeArguments("in.mov", "out", { longSide: 512, start: 2, end: 5, every: 2, maxFrames: 10 })
  assert.deepEqual(args.slice(args.indexOf("-ss"), args.indexOf("-ss") + 4), ["-ss", "2", "-i", "in.mov"])
  assert.equal(args[args.indexOf("-t") + 1], "3")
  assert.match(args[args.indexOf("-vf") + 1]!, /^select=not\(mod\(n\\,2\)\),scale=/)
  assert.equal(args[args.indexOf("-frames:v") + 1], "10")
  assert.equal(args[args.length - 1], join("out", "%05d.png"))
})
