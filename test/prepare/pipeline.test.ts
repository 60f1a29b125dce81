/**
 * `gavatar prepare` end to end on a tiny synthetic clip (a folder of 6 frames of 128 x 128, a short
 * fit): the GaussianAvatar layout that `gavatar train` reads, overlays, contact sheet and
 * prepare.json; a second run refuses the finished folder; --crop cuts frames, landmarks and camera
 * together; a frame without the person in mid-clip is dropped and begins a new run. And its bad inputs through the command
 * line, each one line naming the file (and frame) with exit code 1: not a video, too few frames, no
 * person; wrong arguments exit with 2.
 */
import { Effect, Layer } from "effect"
import assert from "node:assert/strict"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { before, describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { fitSettings } from "../../src/graphs/fit/settings.ts"
import { graphs } from "../../src/graphs/index.ts"
import { readAll, readNpz } from "../../src/io/npz.ts"
import { writePng } from "../../src/io/png.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import { prepareOptions } from "../../src/prepare/options.ts"
import { prepare } from "../../src/prepare/pipeline.ts"
import { BackendLive } from "../../src/runtime/backend.ts"
import { ProgressSilent } from "../../src/runtime/progress.ts"
import type { Camera } from "../../src/synth/camera.ts"
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
const CROP = 64

/** The clip's camera and per frame the true joints in camera space [24 * 3], filled by writeClip. */
const truth = { camera: [] as Camera[], joints: [] as Float64Array[] }

const writeClip = async () => {
  const body = openBody()
  const person = createPerson(body, new Float64Array(10), 256)
  const s = studio(person, SIZE, SIZE)
  truth.camera.push(s.camera)
  const motion = turnWithArmsMotion(40) // the first frames: facing the camera, turning slowly
  const renderer = createRenderer(SIZE, SIZE, 1)
  mkdirSync(clip, { recursive: true })
  for (let i = 0; i < FRAMES; i++) {
    const posed = posePerson(person, motion.poses.subarray(72 * i, 72 * i + 72), motion.transl.subarray(3 * i, 3 * i + 3))
    const frame = renderMesh(renderer, { faces: body.faces, uv: body.uv, texture: person.texture }, posed.clothed, s.camera)
    await Effect.runPromise(writePng(join(clip, `f${i}.png`), frame.image))
    truth.joints.push(toCameraSpace(s.camera, posed.joints))
  }
}

const toCameraSpace = (camera: Camera, world: Float64Array): Float64Array => {
  const e = camera.extrinsic
  return world.map((_, i) => {
    const p = i - (i % 3), r = i % 3
    return e[4 * r]! * world[p]! + e[4 * r + 1]! * world[p + 1]! + e[4 * r + 2]! * world[p + 2]! + e[4 * r + 3]!
  })
}

/** BlazePose's shoulders, hips, knees and ankles and their body joints. */
const LANDMARK_JOINTS: ReadonlyArray<readonly [number, number]> = [[11, 16], [12, 17], [23, 1], [24, 2], [25, 4], [26, 5], [27, 7], [28, 8]]

/** Mean distance, in pixels of the written frames, of those landmarks from the true joints seen through the written camera (cam_parms.npz). */
const landmarkErrorThroughCamera = async (out: string) => {
  const cam = await Effect.runPromise(Effect.flatMap(readNpz(join(out, "train", "cam_parms.npz")), readAll))
  const k = Float64Array.from(cam["intrinsic"]!.data as ArrayLike<number>)
  const report = JSON.parse(readFileSync(join(out, "prepare.json"), "utf8")) as { frames: ReadonlyArray<{ landmarks: ReadonlyArray<readonly [number, number, number]> }> }
  const errors = report.frames.flatMap((f, i) =>
    LANDMARK_JOINTS.map(([l, j]) => {
      const [x, y, z] = [truth.joints[i]![3 * j]!, truth.joints[i]![3 * j + 1]!, truth.joints[i]![3 * j + 2]!]
      return Math.hypot(f.landmarks[l]![0] - (k[0]! * x) / z - k[2]!, f.landmarks[l]![1] - (k[4]! * y) / z - k[5]!)
    })
  )
  return errors.reduce((a, b) => a + b, 0) / errors.length
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

  it("--crop: one square around the person; frames, masks, landmarks and the camera are cut together", async (t) => {
    // The clip's own focal length, given for a frame with a longer side of --size: prepare's camera is then the true one.
    const focal = (truth.camera[0]!.intrinsic[0]! * CROP) / SIZE
    const out = join(dir, "cropped")
    await Effect.runPromise(prepare(clip, out, prepareOptions({ crop: true, size: CROP, holdout: 0, focal }), quickFit).pipe(Effect.provide(layers)))
    const report = JSON.parse(readFileSync(join(out, "prepare.json"), "utf8"))
    const box = report.crop as { x0: number; y0: number; side: number }
    assert.ok(box.side < SIZE && box.side > SIZE / 4, `the crop is ${box.side} px of a ${SIZE} px frame`)
    const train = await Effect.runPromise(readGaussianAvatar(join(out, "train")))
    const sample = await Effect.runPromise(train.sample(0))
    assert.deepEqual(sample.tensors["image"]?.shape, [CROP, CROP, 3])
    // The uncropped run's camera and landmarks, and the cropped run's, agree with the true joints equally well
    // (in pixels of their own frames: the crop is CROP / side times the frame's scale).
    const full = join(dir, "uncropped")
    await Effect.runPromise(prepare(clip, full, prepareOptions({ holdout: 0, focal: truth.camera[0]!.intrinsic[0]! }), quickFit).pipe(Effect.provide(layers)))
    const fullError = await landmarkErrorThroughCamera(full)
    const cropError = (await landmarkErrorThroughCamera(out)) * (box.side / CROP)
    t.diagnostic(`landmark vs true joint through the written camera: ${fullError.toFixed(2)} px uncropped, ${cropError.toFixed(2)} px cropped (frame pixels); crop ${JSON.stringify(box)}`)
    assert.ok(fullError < 6 && Math.abs(cropError - fullError) < 1.5, `landmark vs true joint through the written camera: ${fullError.toFixed(2)} px uncropped, ${cropError.toFixed(2)} px cropped (frame pixels)`)
  })

  it("a frame without the person in mid-clip is dropped and listed, and the frames after it begin a new run", async () => {
    const gap = join(dir, "gap")
    mkdirSync(gap)
    for (let i = 0; i < FRAMES; i++) copyFileSync(join(clip, `f${i}.png`), join(gap, `f${i}.png`))
    await Effect.runPromise(writePng(join(gap, "f2b.png"), { width: SIZE, height: SIZE, channels: 3, data: new Uint8Array(SIZE * SIZE * 3).fill(255) }))
    const out = join(dir, "gapped")
    await Effect.runPromise(prepare(gap, out, prepareOptions({ holdout: 0 }), quickFit).pipe(Effect.provide(layers)))
    const report = JSON.parse(readFileSync(join(out, "prepare.json"), "utf8"))
    assert.deepEqual(report.dropped, [{ source: "f2b.png", reason: "no person found" }])
    assert.deepEqual(report.frames.map((f: { source: string; run: number }) => [f.source, f.run]), [["f0.png", 0], ["f1.png", 0], ["f2.png", 0], ["f3.png", 1], ["f4.png", 1], ["f5.png", 1]])
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
