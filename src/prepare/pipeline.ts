/**
 * `gavatar prepare`: from one video (or a folder of images) to a GaussianAvatar training dataset,
 * offline. Frames (frames.ts) -> person probability and landmarks per frame (detect.ts, models from
 * node_modules) -> steady masks (masks.ts); frames without a person are dropped and listed -> optional
 * square crop (crop.ts) -> pinhole camera at the origin (fov or focal) -> the detector's left-right
 * swaps undone along time (leftRight.ts) -> closed-form start, its turn chosen along the clip (init.ts)
 * -> graphs.fit in two stages through the runtime (fit.ts) -> OUT (write.ts). Everything is written
 * into OUT.partial and renamed to OUT at the end, so a half-written OUT never looks finished.
 */
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { mkdir, readdir, rename, rm } from "node:fs/promises"
import type { Image8 } from "../io/png.ts"
import { graphs } from "../graphs/index.ts"
import type { FitBuilder } from "../graphs/fit/builder.ts"
import type { StageTime } from "./clock.ts"
import { timed, totalOf } from "./clock.ts"
import type { CropBox } from "./crop.ts"
import { cropBox, cropCamera, cropImage, cropLandmarks, cropMask } from "./crop.ts"
import type { Detection } from "./detect.ts"
import { detect } from "./detect.ts"
import { PrepareError } from "./errors.ts"
import { fitClip } from "./fit.ts"
import { loadFrames } from "./frames.ts"
import type { Pinhole } from "./init.ts"
import { restPointsOf, startsOf } from "./init.ts"
import { FACE } from "../graphs/fit/landmarks.ts"
import { unswapLeftRight } from "./leftRight.ts"
import { cleanMask, largestRegion, temporalBlend } from "./masks.ts"
import { loadDetectors } from "./models.ts"
import type { PrepareOptions } from "./options.ts"
import { focalOf, MIN_FRAMES } from "./options.ts"
import type { FrameVerdict } from "./write.ts"
import { PREPARE_JSON, writeDataset } from "./write.ts"

/** Below these a frame holds no person: mask area (fraction of the frame) and BlazePose's pose flag. */
const MIN_AREA = 0.002
const MIN_POSE_SCORE = 0.5

const say = (line: string) => Effect.sync(() => console.error(`prepare: ${line}`))

const fsError = (file: string, what: string) => (cause: unknown) => new PrepareError({ file, reason: `${what}: ${cause instanceof Error ? cause.message : String(cause)}` })

/** OUT must be new or empty; an OUT.partial left by an interrupted run is cleared. */
const claimOutput = (out: string) =>
  Effect.gen(function* () {
    if (existsSync(out)) {
      const entries = yield* Effect.tryPromise({ try: () => readdir(out), catch: fsError(out, "cannot list") })
      if (entries.includes(PREPARE_JSON)) return yield* new PrepareError({ file: out, reason: `already holds a prepared dataset (${PREPARE_JSON}); remove it or choose another --out to prepare again` })
      if (entries.length > 0) return yield* new PrepareError({ file: out, reason: "is not empty; choose a new or empty folder" })
    }
    const partial = `${out}.partial`
    if (existsSync(partial)) {
      yield* say(`${partial} is left from an unfinished run: starting again`)
      yield* Effect.tryPromise({ try: () => rm(partial, { recursive: true, force: true }), catch: fsError(partial, "cannot remove") })
    }
    yield* Effect.tryPromise({ try: () => mkdir(partial, { recursive: true }), catch: fsError(partial, "cannot create") })
    return partial
  })

interface Kept {
  readonly index: number
  readonly image: Image8
  readonly mask: Uint8Array
  readonly landmarks: Float32Array
  readonly world: Float32Array
  readonly score: number
}

/** Why frame `d` holds no person (its own probability, before any blending), or undefined when it does. */
const absence = (d: Detection, width: number, height: number): string | undefined => {
  const person = largestRegion(d.probability, width, height, 128)
  if (!person || person.area < MIN_AREA * width * height) return "no person found"
  return d.poseScore < MIN_POSE_SCORE ? `no body pose found (pose score ${d.poseScore.toFixed(2)})` : undefined
}

/**
 * Which frames hold a person, each judged on its own detection (the others are dropped with the
 * reason), and the kept frames' masks, blended only with kept neighbours (a dropped frame lends its
 * neighbours nothing, and they lend it no ghost of themselves).
 */
const judge = (source: string, labels: ReadonlyArray<string>, images: ReadonlyArray<Image8>, detections: ReadonlyArray<Detection>) =>
  Effect.gen(function* () {
    const { width, height } = images[0]!
    const reasons = detections.map((d) => absence(d, width, height))
    const blended = temporalBlend(detections.map((d) => d.probability), reasons.map((r) => r === undefined))
    const verdicts: FrameVerdict[] = []
    const kept: Kept[] = []
    for (let i = 0; i < images.length; i++) {
      const reason = reasons[i]
      if (reason) {
        yield* say(`${source}, ${labels[i]}: dropped: ${reason}`)
        verdicts.push({ index: i, label: labels[i]!, dropped: reason, warnings: [] })
        continue
      }
      const clean = cleanMask((p) => blended[i]![p]! >= 0.5, width, height)
      const warnings: string[] = []
      if (clean.others > 0) warnings.push(`${clean.others + 1} people: taking the largest`)
      if (clean.touchesBorder) warnings.push("the person is cut by the frame's border (leaving the frame?)")
      for (const w of warnings) yield* say(`${source}, ${labels[i]}: ${w}`)
      verdicts.push({ index: i, label: labels[i]!, warnings })
      const d = detections[i]!
      kept.push({ index: i, image: images[i]!, mask: clean.mask, landmarks: d.landmarks, world: d.world, score: d.poseScore })
    }
    return { kept, verdicts }
  })

const detectAll = (images: ReadonlyArray<Image8>) =>
  Effect.gen(function* () {
    const detectors = yield* loadDetectors()
    const detections: Detection[] = []
    for (let i = 0; i < images.length; i++) {
      detections.push(yield* detect(detectors, images[i]!))
      if ((i + 1) % 10 === 0 || i + 1 === images.length) yield* say(`detected ${i + 1}/${images.length} frames`)
    }
    return detections
  })

interface KeptFrames {
  readonly frames: ReadonlyArray<Kept>
  /** The --crop square in the decoded frames' pixels. */
  readonly box?: CropBox
}

const cropAll = (kept: ReadonlyArray<Kept>, size: number): KeptFrames => {
  const { width, height } = kept[0]!.image
  const box = cropBox(kept.map((k) => k.mask), width, height)
  return { box, frames: kept.map((k) => ({ ...k, image: cropImage(k.image, box, size), mask: cropMask(k.mask, width, box, size), landmarks: cropLandmarks(k.landmarks, box, size) })) }
}

/**
 * The pinhole of the written frames: at the origin, `--fov` over the decoded frame's longer side (or
 * `--focal`, options.ts's focalOf), principal point at the frame's centre; with
 * --crop the same camera seen through the crop (focal scaled, principal point moved with the square).
 */
export const cameraOf = (options: PrepareOptions, decoded: { readonly width: number; readonly height: number }, box?: CropBox): Pinhole => {
  const focal = focalOf(options, Math.max(decoded.width, decoded.height))
  const full: Pinhole = { fx: focal, fy: focal, cx: (decoded.width - 1) / 2, cy: (decoded.height - 1) / 2 }
  return box ? cropCamera(full, box, options.size) : full
}

/** Kept frame k's run: frames k and k + 1 belong to one run when no source frame between them was dropped. */
const runsOf = (kept: ReadonlyArray<Kept>): ReadonlyArray<number> => {
  const runs: number[] = []
  kept.forEach((k, i) => runs.push(i === 0 ? 0 : runs[i - 1]! + (k.index === kept[i - 1]!.index + 1 ? 0 : 1)))
  return runs
}

/**
 * The kept frames with the detector's left-right swaps undone along each run (leftRight.ts); each
 * swapped frame is said and gets a warning in its verdict.
 */
const unswapped = (source: string, kept: ReadonlyArray<Kept>, runs: ReadonlyArray<number>, verdicts: ReadonlyArray<FrameVerdict>) =>
  Effect.gen(function* () {
    const fixed = unswapLeftRight(kept.map((k) => k.landmarks), kept.map((k) => k.world), runs)
    const warning = "landmarks swapped left for right (the detector's left and right disagreed with the frame before)"
    const swappedAt = new Set(fixed.swapped.map((i) => kept[i]!.index))
    for (const v of verdicts.filter((v) => swappedAt.has(v.index))) yield* say(`${source}, ${v.label}: ${warning}`)
    return {
      frames: kept.map((k, i) => ({ ...k, landmarks: fixed.landmarks[i]!, world: fixed.world[i]! })),
      verdicts: verdicts.map((v) => (swappedAt.has(v.index) ? { ...v, warnings: [...v.warnings, warning] } : v))
    }
  })

/** The closed-form start and the two fit stages. */
const fitStages = (source: string, kept: ReadonlyArray<Kept>, runs: ReadonlyArray<number>, camera: Pinhole, builder: FitBuilder, times: StageTime[]) =>
  Effect.gen(function* () {
    const { width, height } = kept[0]!.image
    const starts = startsOf(kept.map((k) => k.landmarks), restPointsOf(builder.points(), [...FACE, 7, 8]), camera, runs)
    if (!starts) return yield* new PrepareError({ file: source, reason: "no frame shows the torso (shoulders and hips) clearly enough to start the fit" })
    yield* say(`fitting the body to ${kept.length} frames`)
    const input = { landmarks: kept.map((k) => k.landmarks), world: kept.map((k) => k.world), masks: kept.map((k) => k.mask), runs, width, height, camera, starts }
    return yield* fitClip(input, builder, times)
  })

export interface Prepared {
  readonly out: string
  readonly frames: number
  readonly dropped: number
  readonly seconds: number
  /** Wall and CPU seconds per stage (decode, detect, masks, fit stages, write) and their total. */
  readonly stages: ReadonlyArray<StageTime>
}

/** Prepares `source` into `out`; on failure or interruption the partial folder is removed. */
export const prepare = (source: string, out: string, options: PrepareOptions, builder: FitBuilder = graphs.fit) =>
  Effect.flatMap(claimOutput(out), (partial) =>
    prepareInto(source, out, partial, options, builder).pipe(Effect.onExit((exit) => (exit._tag === "Success" ? Effect.void : Effect.promise(() => rm(partial, { recursive: true, force: true })))))
  )

const prepareInto = (source: string, out: string, partial: string, options: PrepareOptions, builder: FitBuilder) =>
  Effect.gen(function* () {
    const began = performance.now()
    const times: StageTime[] = []
    const selection = { fps: options.fps, every: options.every, start: options.start, end: options.end, maxFrames: options.maxFrames }
    const frames = yield* loadFrames(source, partial, selection, options.crop ? 2 * options.size : options.size).pipe(timed(times, "decode"))
    yield* Effect.tryPromise({ try: () => rm(`${partial}/decoded`, { recursive: true, force: true }), catch: fsError(partial, "cannot clean") })
    const n = frames.images.length
    const { width, height } = frames.images[0]!
    yield* say(`${n} frames of ${width}x${height} from ${source}`)
    if (n < MIN_FRAMES) return yield* new PrepareError({ file: source, reason: `${n} frame(s): too few to fit, at least ${MIN_FRAMES} are needed (a longer clip, or a smaller --every / larger --max-frames)` })
    const detections = yield* detectAll(frames.images).pipe(timed(times, "detect"))
    const judged = yield* judge(source, frames.labels, frames.images, detections).pipe(timed(times, "masks"))
    if (judged.kept.length === 0) return yield* new PrepareError({ file: source, reason: "no person found in any frame" })
    if (judged.kept.length < MIN_FRAMES)
      return yield* new PrepareError({ file: source, frame: judged.kept[0]!.index, reason: `a person in only ${judged.kept.length} frame(s); the fit needs at least ${MIN_FRAMES}` })
    const cropped: KeptFrames = options.crop ? cropAll(judged.kept, options.size) : { frames: judged.kept }
    const camera = cameraOf(options, { width, height }, cropped.box)
    const image = cropped.frames[0]!.image
    const runs = runsOf(cropped.frames)
    const fixed = yield* unswapped(source, cropped.frames, runs, judged.verdicts)
    const kept = { ...cropped, frames: fixed.frames }
    const fit = yield* fitStages(source, kept.frames, runs, camera, builder, times)
    yield* writeDataset(partial, { source, kind: frames.kind, options, camera, kept: kept.frames, verdicts: fixed.verdicts, runs, fit, builder, seconds: (performance.now() - began) / 1000, stages: times, ...(kept.box ? { crop: kept.box } : {}) }).pipe(timed(times, "write"))
    yield* Effect.tryPromise({ try: () => rename(partial, out), catch: fsError(out, "cannot rename the finished folder into place") })
    const seconds = (performance.now() - began) / 1000
    const total = totalOf(times)
    yield* say(`wrote ${out} (${kept.frames.length} frames of ${image.width}x${image.height}, ${n - judged.kept.length} dropped) in ${seconds.toFixed(1)} s (${total.cpuSeconds.toFixed(1)} s of CPU)`)
    const prepared: Prepared = { out, frames: kept.frames.length, dropped: n - judged.kept.length, seconds, stages: [...times, total] }
    return prepared
  })
