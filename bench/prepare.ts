/**
 * npm run bench -- prepare [--json] [--frames 100] [--size 512] [--steps N] [--psnr] [--epochs 2] [--train-downscale 2] [--focal PX] [--out DIR]
 * `gavatar prepare` against the truth: renders a synthetic video with src/synth (the clothed person
 * turning once round while moving the arms, src/synth/turnArms.ts: a motion the demo never uses),
 * encodes it as MP4 with the bundled ffmpeg, prepares the MP4 alone (the truth is never shown to it),
 * and compares:
 *   maskIoU           prepared masks vs the renderer's masks, mean over kept frames
 *   keypointErrorPx   BlazePose's shoulders, elbows, wrists, hips, knees, ankles vs the true joints, px
 *   fitJointErrorPx   the fitted body's joints vs the true joints, projected, px
 *   paMpjpeCm         fitted vs true 3D joints (0-21) after a similarity alignment per frame, cm
 *   rootErrorDeg*     angle between the fitted and the true global orientation in camera axes (which
 *                     PA-MPJPE's alignment hides): mean, median and largest over frames, degrees
 *   fitKeypointErrorPx, fitSilhouetteIoU   the fit's own residuals (prepare.json's summary)
 *   focalTruePx, focalUsedPx, focalFromLandmarksPx   the studio camera's focal length, prepare's, and
 *                     the probe of prepareFocal.ts (from BlazePose's 2D and 3D landmarks; not used)
 *   prepareSeconds    wall time of the whole prepare (grows with other jobs' load on a shared machine)
 *   prepareCpuSeconds CPU time of the process over prepare's stages (user + system, all threads), and
 *                     per stage (decode, detect, masks, fit, write) beside wall time; loadAverage at the end
 * With --psnr, stage 1 of the avatar (quick preset sizes, --epochs) trains on the prepared train split
 * and on the same frames with the true fits, masks and camera, each scored on its own held-out frames
 * rendered with their own fits: heldOutPsnrPrepared, heldOutPsnrTrue.
 * --focal gives prepare a focal length (pixels) instead of its 60-degree assumption: a diagnostic of
 * how much the assumed camera costs (the studio camera's is about 620 px at 512).
 * Targets (issue 13, 2-core machine): maskIoU >= 0.95, paMpjpeCm <= 4, PSNR within 1.5 dB, <= 300 s.
 */
import { Effect, Layer } from "effect"
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync } from "node:fs"
import { loadavg } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { openBody } from "../src/body/openBody.ts"
import type { BodyModel } from "../src/body/model.ts"
import { readAll, readNpz } from "../src/io/npz.ts"
import { mul33 } from "../src/math/matrix.ts"
import { axisAngleToMatrix } from "../src/math/rotation.ts"
import { readPng, writePng } from "../src/io/png.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import { prepareOptions } from "../src/prepare/options.ts"
import { prepare } from "../src/prepare/pipeline.ts"
import { graphs } from "../src/graphs/index.ts"
import { fitSettings } from "../src/graphs/fit/settings.ts"
import { BackendLive } from "../src/runtime/backend.ts"
import { ProgressLog } from "../src/runtime/progress.ts"
import { toScreen } from "../src/synth/camera.ts"
import type { Camera } from "../src/synth/camera.ts"
import { createPerson, posePerson } from "../src/synth/person.ts"
import { createRenderer, renderMesh } from "../src/synth/render.ts"
import { jointTransforms, skeletonOf } from "../src/synth/skinning.ts"
import { studio } from "../src/synth/studio.ts"
import { turnWithArmsMotion } from "../src/synth/turnArms.ts"
import { findFfmpeg } from "../src/video/ffmpeg.ts"
import type { BenchArgs } from "./main.ts"
import { estimateFocal } from "./prepareFocal.ts"
import { heldOutPsnr } from "./preparePsnr.ts"
import { paMpjpe } from "./procrustes.ts"

/** BlazePose landmark -> SMPL joint, for the detector's error. */
const DETECTOR_JOINTS: ReadonlyArray<readonly [number, number]> = [[11, 16], [12, 17], [13, 18], [14, 19], [15, 20], [16, 21], [23, 1], [24, 2], [25, 4], [26, 5], [27, 7], [28, 8]]
const BETAS = [0.4, -0.3, 0.2, 0.1, -0.2, 0.1, 0, 0, 0, 0]

interface Truth {
  readonly camera: Camera
  /** Per frame [24 * 3] world joints. */
  readonly joints: ReadonlyArray<Float64Array>
  readonly masks: ReadonlyArray<Uint8Array>
  readonly poses: Float64Array
  readonly transl: Float64Array
  readonly betas: Float64Array
}

const render = async (body: BodyModel, frames: number, size: number, folder: string): Promise<Truth> => {
  const betas = Float64Array.from(BETAS)
  const person = createPerson(body, betas, 1024)
  const s = studio(person, size, size)
  const motion = turnWithArmsMotion(frames)
  const renderer = createRenderer(size, size, 2)
  const joints: Float64Array[] = []
  const masks: Uint8Array[] = []
  mkdirSync(join(folder, "frames"), { recursive: true })
  for (let i = 0; i < frames; i++) {
    const posed = posePerson(person, motion.poses.subarray(72 * i, 72 * i + 72), motion.transl.subarray(3 * i, 3 * i + 3))
    const frame = renderMesh(renderer, { faces: body.faces, uv: body.uv, texture: person.texture }, posed.clothed, s.camera)
    await Effect.runPromise(writePng(join(folder, "frames", `${String(i).padStart(5, "0")}.png`), frame.image))
    joints.push(posed.joints)
    masks.push(frame.mask.data)
  }
  return { camera: s.camera, joints, masks, poses: motion.poses, transl: motion.transl, betas }
}

const encode = (folder: string, video: string): void => {
  const ffmpeg = findFfmpeg()
  if (!ffmpeg) throw new Error("no ffmpeg (npm ci installs @ffmpeg-installer/ffmpeg)")
  const args = ["-hide_banner", "-loglevel", "error", "-y", "-framerate", "25", "-i", join(folder, "frames", "%05d.png"), "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", video]
  const done = spawnSync(ffmpeg.path, args, { encoding: "utf8" })
  if (done.status !== 0) throw new Error(`ffmpeg failed: ${done.stderr}`)
}

const maskIou = (a: Uint8Array, b: Uint8Array): number => {
  let both = 0, either = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128, y = b[i]! >= 128
    if (x && y) both++
    if (x || y) either++
  }
  return both / Math.max(1, either)
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

/** [24 * 3] camera-space joints of the body with shape `betas` in pose and translation. */
const cameraJoints = (body: BodyModel, betas: ArrayLike<number>, pose: ArrayLike<number>, transl: ArrayLike<number>): Float64Array => {
  const shaped = Float64Array.from(body.vTemplate)
  for (let i = 0; i < shaped.length; i++) for (let k = 0; k < 10; k++) shaped[i]! += body.shapeDirs[i * body.shapeCount + k]! * (betas[k] ?? 0)
  return jointTransforms(skeletonOf(body, shaped), Float64Array.from(pose), Float64Array.from(transl)).joints
}

const toCamera = (camera: Camera, world: Float64Array): Float64Array => {
  const e = camera.extrinsic
  return world.map((_, i) => {
    const p = i - (i % 3), r = i % 3
    return e[4 * r]! * world[p]! + e[4 * r + 1]! * world[p + 1]! + e[4 * r + 2]! * world[p + 2]! + e[4 * r + 3]!
  })
}

/** Degrees between the fitted global orientation (camera axes) and the true one seen by the studio camera. */
const rootErrorDegrees = (camera: Camera, truePose: Float64Array, fitted: ArrayLike<number>): number => {
  const e = camera.extrinsic
  const truth = mul33(Float64Array.of(e[0]!, e[1]!, e[2]!, e[4]!, e[5]!, e[6]!, e[8]!, e[9]!, e[10]!), axisAngleToMatrix(truePose))
  const mine = axisAngleToMatrix(fitted)
  let trace = 0
  for (let k = 0; k < 9; k++) trace += truth[k]! * mine[k]!
  return (Math.acos(Math.min(1, Math.max(-1, (trace - 1) / 2))) * 180) / Math.PI
}

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

interface PreparedFrame {
  readonly source: string
  readonly split: string
  readonly landmarks: ReadonlyArray<readonly [number, number, number]>
  readonly world: ReadonlyArray<readonly [number, number, number]>
}

export const run = async (args: BenchArgs): Promise<void> => {
  const { values } = parseArgs({
    args: [...args.rest],
    options: { frames: { type: "string", default: "100" }, size: { type: "string", default: "512" }, steps: { type: "string" }, psnr: { type: "boolean", default: false }, epochs: { type: "string", default: "2" }, "train-downscale": { type: "string", default: "2" }, focal: { type: "string" }, out: { type: "string", default: "out/bench-prepare" } },
    strict: true
  })
  const frames = Number(values.frames), size = Number(values.size)
  const folder = values.out!
  rmSync(folder, { recursive: true, force: true })
  mkdirSync(folder, { recursive: true })
  const body = openBody()
  console.log(`rendering ${frames} frames at ${size}x${size} (turning round, moving the arms)`)
  const truth = await render(body, frames, size, folder)
  const video = join(folder, "turn.mp4")
  encode(folder, video)
  console.log(`encoded ${video}; preparing it`)
  const out = join(folder, "prepared")
  const builder = values.steps === undefined ? graphs.fit : graphs.fit.with({ settings: fitSettings({ steps: Number(values.steps) }) })
  const layers = Layer.mergeAll(BackendLive("wasm"), BuiltinOps, ProgressLog(50))
  const done = await Effect.runPromise(prepare(video, out, prepareOptions({ size, ...(values.focal === undefined ? {} : { focal: Number(values.focal) }) }), builder).pipe(Effect.provide(layers)))
  const report = JSON.parse(readFileSync(join(out, "prepare.json"), "utf8")) as {
    frames: ReadonlyArray<PreparedFrame>
    betas: ReadonlyArray<number>
    summary: { meanKeypointErrorPx: number; meanSilhouetteIoU: number }
  }
  const sourceIndex = (f: { readonly source: string }) => Number(f.source.replace("frame ", ""))
  const splits = { train: report.frames.filter((f) => f.split === "train"), test: report.frames.filter((f) => f.split === "test") }
  const fitted = await readFits(out)
  const ious: number[] = [], detector: number[] = [], fitPx: number[] = [], pa: number[] = [], root: number[] = []
  for (const split of ["train", "test"] as const) {
    for (const [j, f] of splits[split].entries()) {
      const i = sourceIndex(f)
      const mask = await Effect.runPromise(readPng(join(out, split, "masks", `${String(j).padStart(5, "0")}.png`)))
      ious.push(maskIou(Uint8Array.from({ length: size * size }, (_, p) => mask.data[p * mask.channels]!), truth.masks[i]!))
      const trueScreen = toScreen(truth.camera, truth.joints[i]!)
      for (const [k, joint] of DETECTOR_JOINTS) detector.push(Math.hypot(f.landmarks[k]![0] - trueScreen[3 * joint]!, f.landmarks[k]![1] - trueScreen[3 * joint + 1]!))
      const fit = fitted[split]
      const mine = cameraJoints(body, report.betas, fit.poses.subarray(72 * j, 72 * j + 72), fit.transl.subarray(3 * j, 3 * j + 3))
      const k = fit.intrinsic
      for (let joint = 0; joint < 22; joint++) {
        const x = (k[0]! * mine[3 * joint]!) / mine[3 * joint + 2]! + k[2]!, y = (k[4]! * mine[3 * joint + 1]!) / mine[3 * joint + 2]! + k[5]!
        fitPx.push(Math.hypot(x - trueScreen[3 * joint]!, y - trueScreen[3 * joint + 1]!))
      }
      root.push(rootErrorDegrees(truth.camera, truth.poses.subarray(72 * i, 72 * i + 3), fit.poses.subarray(72 * j, 72 * j + 3)))
      pa.push(100 * paMpjpe(mine.subarray(0, 66), toCamera(truth.camera, truth.joints[i]!).subarray(0, 66)))
    }
  }
  const figures: Record<string, number | string> = {
    frames: report.frames.length,
    maskIoU: Number(mean(ious).toFixed(4)),
    keypointErrorPx: Number(mean(detector).toFixed(2)),
    fitJointErrorPx: Number(mean(fitPx).toFixed(2)),
    paMpjpeCm: Number(mean(pa).toFixed(2)),
    rootErrorDegMean: Number(mean(root).toFixed(1)),
    rootErrorDegMedian: Number(median(root).toFixed(1)),
    rootErrorDegMax: Number(Math.max(...root).toFixed(1)),
    fitKeypointErrorPx: report.summary.meanKeypointErrorPx,
    fitSilhouetteIoU: report.summary.meanSilhouetteIoU,
    focalTruePx: Number(truth.camera.intrinsic[0]!.toFixed(1)),
    focalUsedPx: Number(fitted.train.intrinsic[0]!.toFixed(1)),
    focalFromLandmarksPx: focalProbe(report.frames, size),
    prepareSeconds: Number(done.seconds.toFixed(1)),
    prepareCpuSeconds: Number((done.stages.at(-1)?.cpuSeconds ?? Number.NaN).toFixed(1)),
    loadAverage: Number(loadavg()[0]!.toFixed(1))
  }
  for (const t of done.stages) console.log(`  ${t.stage.padEnd(18)} ${t.seconds.toFixed(1).padStart(7)} s wall ${t.cpuSeconds.toFixed(1).padStart(7)} s CPU`)
  if (values.psnr) {
    const psnr = await heldOutPsnr({ prepared: out, truth, body, folder, epochs: Number(values.epochs), downscale: Number(values["train-downscale"]), kept: splits, sourceIndex })
    figures["heldOutPsnrPrepared"] = Number(psnr.prepared.toFixed(2))
    figures["heldOutPsnrTrue"] = Number(psnr.truth.toFixed(2))
  } else {
    figures["heldOutPsnrPrepared"] = "not measured (--psnr)"
    figures["heldOutPsnrTrue"] = "not measured (--psnr)"
  }
  const targets = { maskIoU: ">= 0.95", paMpjpeCm: "<= 4", heldOutPsnrPrepared: "within 1.5 dB of heldOutPsnrTrue", prepareSeconds: "<= 300 (100 frames at 512x512)" }
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(22)} ${String(v).padEnd(24)} ${(targets as Record<string, string>)[k] ? `target ${(targets as Record<string, string>)[k]}` : ""}`)
  if (args.json) console.log(JSON.stringify({ ...figures, stages: done.stages.map((t) => ({ stage: t.stage, seconds: Number(t.seconds.toFixed(1)), cpuSeconds: Number(t.cpuSeconds.toFixed(1)) })), targets }))
}

/** The focal length (px) that prepareFocal.ts's probe reads from the recorded 2D and 3D landmarks (NaN when too few frames). */
const focalProbe = (frames: ReadonlyArray<PreparedFrame>, size: number): number => {
  const rows = (points: ReadonlyArray<readonly [number, number, number]>) => Float32Array.from(points.flat())
  const estimate = estimateFocal(frames.map((f) => ({ landmarks: rows(f.landmarks), world: rows(f.world) })), size, size)
  return estimate ? Number(estimate.focal.toFixed(1)) : Number.NaN
}

const readFits = async (out: string) => {
  const one = async (split: string) => {
    const parms = await Effect.runPromise(Effect.flatMap(readNpz(join(out, split, "smpl_parms.npz")), readAll))
    const cam = await Effect.runPromise(Effect.flatMap(readNpz(join(out, split, "cam_parms.npz")), readAll))
    const numbers = (a: { readonly data: unknown }) => Float64Array.from(a.data as ArrayLike<number>)
    return { poses: numbers(parms["body_pose"]!), transl: numbers(parms["trans"]!), intrinsic: numbers(cam["intrinsic"]!) }
  }
  return { train: await one("train"), test: await one("test") }
}
