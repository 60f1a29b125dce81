/**
 * `gavatar prepare` end to end on a tiny synthetic clip (a folder of 6 frames of 128 x 128, a short
 * fit): the GaussianAvatar layout that `gavatar train` reads, overlays, contact sheet and
 * prepare.json; a second run refuses the finished folder. And its bad inputs through the command
 * line, each one line naming the file (and frame) with exit code 1: not a video, too few frames, no
 * person; wrong arguments exit with 2.
 */
import { Effect, Layer } from "effect"
import assert from "node:assert/strict"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { before, describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { fitSettings } from "../../src/graphs/fit/settings.ts"
import { graphs } from "../../src/graphs/index.ts"
import { writePng } from "../../src/io/png.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import { prepareOptions } from "../../src/prepare/options.ts"
import { prepare } from "../../src/prepare/pipeline.ts"
import { BackendLive } from "../../src/runtime/backend.ts"
import { ProgressSilent } from "../../src/runtime/progress.ts"
import { createPerson, posePerson } from "../../src/synth/person.ts"
import { createRenderer, renderMesh } from "../../src/synth/render.ts"
import { studio } from "../../src/synth/studio.ts"
import { turnWithArmsMotion } from "../../src/synth/turnArms.ts"
import { gavatar } from "../cli/capture.ts"
import { tempDir } from "../runtime/helpers.ts"

const dir = tempDir("prepare")
const clip = join(dir, "clip")
const SIZE = 128
const FRAMES = 6

const writeClip = async () => {
  const body = openBody()
  const person = createPerson(body, new Float64Array(10), 256)
  const s = studio(person, SIZE, SIZE)
  const motion = turnWithArmsMotion(40) // the first frames: facing the camera, turning slowly
  const renderer = createRenderer(SIZE, SIZE, 1)
  mkdirSync(clip, { recursive: true })
  for (let i = 0; i < FRAMES; i++) {
    const posed = posePerson(person, motion.poses.subarray(72 * i, 72 * i + 72), motion.transl.subarray(3 * i, 3 * i + 3))
    const frame = renderMesh(renderer, { faces: body.faces, uv: body.uv, texture: person.texture }, posed.clothed, s.camera)
    await Effect.runPromise(writePng(join(clip, `f${i}.png`), frame.image))
  }
}

const layers = Layer.mergeAll(BackendLive("wasm"), BuiltinOps, ProgressSilent)
const quickFit = graphs.fit.with({ settings: fitSettings({ steps: 8, orientSteps: 4, silhouetteSide: 32 }) })

describe("gavatar prepare", () => {
  before(writeClip)

  it("writes the GaussianAvatar layout, overlays, contact sheet and prepare.json, then refuses to overwrite it", async () => {
    const out = join(dir, "subject")
    const done = await Effect.runPromise(prepare(clip, out, prepareOptions({ holdout: 3 }), quickFit).pipe(Effect.provide(layers)))
    assert.equal(done.frames, FRAMES)
    assert.ok(!existsSync(`${out}.partial`))
    for (const split of ["train", "test"]) for (const f of ["cam_parms.npz", "smpl_parms.npz", "images", "masks"]) assert.ok(existsSync(join(out, split, f)), `${split}/${f}`)
    const train = await Effect.runPromise(readGaussianAvatar(join(out, "train")))
    const test = await Effect.runPromise(readGaussianAvatar(join(out, "test")))
    assert.deepEqual([train.size, test.size], [4, 2])
    const sample = await Effect.runPromise(train.sample(0))
    assert.deepEqual(sample.tensors["image"]?.shape, [SIZE, SIZE, 3])
    assert.equal(readdirSync(join(out, "overlays")).length, FRAMES)
    assert.ok(existsSync(join(out, "contact_sheet.png")))
    const report = JSON.parse(readFileSync(join(out, "prepare.json"), "utf8"))
    assert.equal(report.frames.length, FRAMES)
    for (const f of report.frames) {
      assert.ok(Number.isFinite(f.keypointErrorPx) && f.silhouetteIoU >= 0 && f.silhouetteIoU <= 1 && f.detectionScore > 0.5, JSON.stringify(f).slice(0, 200))
      assert.equal(f.landmarks.length, 33)
    }
    assert.deepEqual(report.dropped, [])
    const again = await Effect.runPromise(Effect.flip(prepare(clip, out, prepareOptions({}), quickFit).pipe(Effect.provide(layers))))
    assert.match(again.message, /already holds a prepared dataset \(prepare.json\)/)
  })

  it("bad input: one line naming the file, exit code 1; wrong arguments exit with 2", async () => {
    const text = join(dir, "notes.mov")
    writeFileSync(text, "hello")
    const notVideo = await gavatar("prepare", text, "--out", join(dir, "o1"))
    assert.equal(notVideo.code, 1)
    assert.match(notVideo.err.join("\n"), /notes\.mov: not a video ffmpeg can read/)
    assert.ok(!existsSync(join(dir, "o1.partial")) && !existsSync(join(dir, "o1")))
    const few = await gavatar("prepare", clip, "--out", join(dir, "o2"), "--max-frames", "2")
    assert.equal(few.code, 1)
    assert.match(few.err.join("\n"), /clip: 2 frame\(s\): too few to fit, at least 4 are needed/)
    const blank = join(dir, "blank")
    mkdirSync(blank)
    for (let i = 0; i < 4; i++) await Effect.runPromise(writePng(join(blank, `b${i}.png`), { width: 64, height: 64, channels: 3, data: new Uint8Array(64 * 64 * 3).fill(255) }))
    const nobody = await gavatar("prepare", blank, "--out", join(dir, "o3"))
    assert.equal(nobody.code, 1)
    assert.match(nobody.err.join("\n"), /blank, b0\.png: dropped: no person found/)
    assert.match(nobody.err.at(-1) ?? "", /blank: no person found in any frame/)
    const args = await gavatar("prepare", clip, "--out", join(dir, "o4"), "--fps", "2", "--every", "3")
    assert.equal(args.code, 2)
    assert.match(args.err[0] ?? "", /give --fps or --every, not both/)
    const folderFps = await gavatar("prepare", clip, "--out", join(dir, "o5"), "--fps", "2")
    assert.equal(folderFps.code, 1)
    assert.match(folderFps.err.join("\n"), /--fps, --start and --end need a video/)
  })
})
