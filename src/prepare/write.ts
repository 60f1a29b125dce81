/**
 * What `gavatar prepare` writes into its (still partial) output folder:
 *   train/, test/        GaussianAvatar splits (src/data/write.ts): images/, masks/, cam_parms.npz
 *                        (intrinsic, identity extrinsic), smpl_parms.npz (beta, body_pose, trans);
 *                        every `holdout`-th kept frame goes to test/ (none with holdout 0)
 *   overlays/NNNNN.png   each kept frame with the mask's outline, the fitted body's and the landmarks
 *   contact_sheet.png    the overlays of every kept frame
 *   prepare.json         per frame: split, run (frames of one run follow each other in the source),
 *                        keypoint reprojection error (px), IoU of the fitted body's
 *                        silhouette with the mask, detection score, the 33 BlazePose landmarks (x, y,
 *                        score) and their 3D estimates (metres, camera axes, origin between the hips), warnings; dropped frames and why; the stages' wall and CPU
 *                        seconds; the --crop square
 */
import { Effect } from "effect"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { openBody } from "../body/openBody.ts"
import { writeGaussianAvatar } from "../data/write.ts"
import type { FitBuilder } from "../graphs/fit/builder.ts"
import type { Image8 } from "../io/png.ts"
import { writePng } from "../io/png.ts"
import type { StageTime } from "./clock.ts"
import type { CropBox } from "./crop.ts"
import { iou, keypointError, landmarkPixels, poser } from "./check.ts"
import { PrepareError } from "./errors.ts"
import type { FitResult } from "./fit.ts"
import { MIN_SCORE } from "./fit.ts"
import type { Pinhole } from "./init.ts"
import type { PrepareOptions } from "./options.ts"
import { contactSheet, overlay } from "./overlay.ts"

export const PREPARE_JSON = "prepare.json"

export interface FrameVerdict {
  readonly index: number
  readonly label: string
  readonly dropped?: string
  readonly warnings: ReadonlyArray<string>
}

export interface ToWrite {
  readonly source: string
  readonly kind: "video" | "images"
  readonly options: PrepareOptions
  readonly camera: Pinhole
  readonly kept: ReadonlyArray<{ readonly index: number; readonly image: Image8; readonly mask: Uint8Array; readonly landmarks: Float32Array; readonly world: Float32Array; readonly score: number }>
  /** Per kept frame: its run (a dropped frame begins a new one; the fit's temporal terms stay inside runs). */
  readonly runs: ReadonlyArray<number>
  readonly verdicts: ReadonlyArray<FrameVerdict>
  readonly fit: FitResult
  readonly builder: FitBuilder
  readonly seconds: number
  /** Wall and CPU seconds of the stages done so far. */
  readonly stages: ReadonlyArray<StageTime>
  /** The --crop square in the decoded frames' pixels. */
  readonly crop?: CropBox
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits))
const ioFail = (file: string) => (cause: unknown) => new PrepareError({ file, reason: `cannot write: ${cause instanceof Error ? cause.message : String(cause)}` })

/** Whether kept frame k (0-based) is held out. */
export const isHeldOut = (k: number, holdout: number): boolean => holdout > 0 && (k + 1) % holdout === 0

const writeSplit = (folder: string, w: ToWrite, frames: ReadonlyArray<number>) =>
  writeGaussianAvatar(folder, {
    frames: frames.map((k) => ({ image: w.kept[k]!.image, mask: { width: w.kept[k]!.image.width, height: w.kept[k]!.image.height, channels: 1, data: w.kept[k]!.mask } })),
    intrinsic: Float64Array.of(w.camera.fx, 0, w.camera.cx, 0, w.camera.fy, w.camera.cy, 0, 0, 1),
    extrinsic: Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1),
    betas: w.fit.betas,
    poses: Float32Array.from(frames.flatMap((k) => Array.from(w.fit.poses.subarray(72 * k, 72 * k + 72)))),
    transl: Float32Array.from(frames.flatMap((k) => Array.from(w.fit.transl.subarray(3 * k, 3 * k + 3))))
  }).pipe(Effect.mapError((e) => new PrepareError({ file: e.file, reason: e.reason })))

export const writeDataset = (folder: string, w: ToWrite) =>
  Effect.gen(function* () {
    const ks = w.kept.map((_, k) => k)
    const test = ks.filter((k) => isHeldOut(k, w.options.holdout))
    const train = ks.filter((k) => !isHeldOut(k, w.options.holdout))
    yield* writeSplit(join(folder, "train"), w, train)
    if (test.length > 0) yield* writeSplit(join(folder, "test"), w, test)
    const { width, height } = w.kept[0]!.image
    const body = w.builder.choices.body ?? openBody()
    const pose = poser(body, w.fit.betas, w.camera, width, height)
    const rules = w.builder.choices.rules
    const vertices = w.builder.points().landmarkVertices
    yield* Effect.tryPromise({ try: () => mkdir(join(folder, "overlays"), { recursive: true }), catch: ioFail(join(folder, "overlays")) })
    const overlays: Image8[] = []
    const perFrame = []
    for (const k of ks) {
      const frame = w.kept[k]!
      const posed = pose.pose(w.fit.poses.subarray(72 * k, 72 * k + 72), w.fit.transl.subarray(3 * k, 3 * k + 3))
      const used = rules.map((r, j) => r.weight > 0 && frame.landmarks[3 * j + 2]! >= MIN_SCORE)
      const points = landmarkPixels(posed, rules, vertices)
      const picture = overlay(frame.image, {
        mask: frame.mask,
        silhouette: posed.silhouette,
        landmarks: rules.flatMap((_, j) => (used[j] ? [[frame.landmarks[3 * j]!, frame.landmarks[3 * j + 1]!] as const] : [])),
        bodyPoints: points.filter((_, j) => used[j])
      })
      overlays.push(picture)
      yield* writePng(join(folder, "overlays", `${String(k).padStart(5, "0")}.png`), picture).pipe(Effect.mapError((e) => new PrepareError({ file: e.file, reason: e.reason })))
      const verdict = w.verdicts.find((v) => v.index === frame.index)
      perFrame.push({
        frame: k,
        source: verdict?.label ?? `frame ${frame.index}`,
        split: isHeldOut(k, w.options.holdout) ? "test" : "train",
        run: w.runs[k],
        keypointErrorPx: round(keypointError(posed, frame.landmarks, rules, vertices), 2),
        silhouetteIoU: round(iou(posed.silhouette, frame.mask), 4),
        detectionScore: round(frame.score),
        landmarks: Array.from({ length: frame.landmarks.length / 3 }, (_, j) => [round(frame.landmarks[3 * j]!, 1), round(frame.landmarks[3 * j + 1]!, 1), round(frame.landmarks[3 * j + 2]!)]),
        world: Array.from({ length: frame.world.length / 3 }, (_, j) => [round(frame.world[3 * j]!, 4), round(frame.world[3 * j + 1]!, 4), round(frame.world[3 * j + 2]!, 4)]),
        warnings: verdict?.warnings ?? []
      })
    }
    yield* writePng(join(folder, "contact_sheet.png"), contactSheet(overlays)).pipe(Effect.mapError((e) => new PrepareError({ file: e.file, reason: e.reason })))
    const mean = (xs: ReadonlyArray<number>) => xs.filter(Number.isFinite).reduce((a, b) => a + b, 0) / Math.max(1, xs.filter(Number.isFinite).length)
    const report = {
      generator: "gavatar prepare (src/prepare)",
      source: w.source,
      kind: w.kind,
      options: w.options,
      camera: { width, height, intrinsic: [w.camera.fx, 0, w.camera.cx, 0, w.camera.fy, w.camera.cy, 0, 0, 1].map((x) => round(x, 4)), extrinsic: "identity" },
      betas: Array.from(w.fit.betas, (x) => round(x, 4)),
      summary: {
        frames: w.kept.length,
        train: train.length,
        test: test.length,
        dropped: w.verdicts.filter((v) => v.dropped).length,
        meanKeypointErrorPx: round(mean(perFrame.map((f) => f.keypointErrorPx)), 2),
        meanSilhouetteIoU: round(mean(perFrame.map((f) => f.silhouetteIoU)), 4),
        fitSeconds: round(w.fit.seconds, 1),
        prepareSeconds: round(w.seconds, 1),
        stages: w.stages.map((t) => ({ stage: t.stage, seconds: round(t.seconds, 1), cpuSeconds: round(t.cpuSeconds, 1) }))
      },
      ...(w.crop ? { crop: { ...w.crop, note: "square cut from the decoded frames (pixels), scaled to options.size" } } : {}),
      frames: perFrame,
      dropped: w.verdicts.filter((v) => v.dropped).map((v) => ({ source: v.label, reason: v.dropped }))
    }
    yield* Effect.tryPromise({ try: () => writeFile(join(folder, PREPARE_JSON), `${JSON.stringify(report, null, 2)}\n`), catch: ioFail(join(folder, PREPARE_JSON)) })
  })
