/**
 * Writes a synthetic recording:
 *   DIR/train, DIR/test, DIR/novel_pose   GaussianAvatar layout (src/data/write.ts): images/, masks/,
 *                                         cam_parms.npz, smpl_parms.npz (the fit: noisy when noise > 0)
 *                                         and smpl_parms_gt.npz (ground truth, same keys)
 *   DIR/contact_sheet.png                 every frame of every split
 *   DIR/overlays/<split>_<frame>.png      a few frames with the fitted body as a wireframe
 *   DIR/synth.json                        the options, camera, body shape and the held-out views
 */
import { Effect } from "effect"
import { mkdir, readdir, rm } from "node:fs/promises"
import { join } from "node:path"
import { fromIoError } from "../data/recording.ts"
import { writeGaussianAvatar } from "../data/write.ts"
import { writeBytes } from "../io/atomic.ts"
import { ndarray } from "../io/ndarray.ts"
import { writeNpz } from "../io/npz.ts"
import { writePng } from "../io/png.ts"
import { DatasetError } from "../data/errors.ts"
import { contactSheet } from "./contactSheet.ts"
import type { Split, Synthetic } from "./generate.ts"
import { overlay } from "./overlay.ts"
import { posePerson } from "./person.ts"

export const FIT_FILE = "smpl_parms.npz"
export const TRUTH_FILE = "smpl_parms_gt.npz"

const frameName = (i: number): string => String(i).padStart(5, "0")

const writeSplit = (dir: string, synthetic: Synthetic, split: Split): Effect.Effect<void, DatasetError> =>
  Effect.gen(function* () {
    const folder = join(dir, split.name)
    const camera = synthetic.studio.camera
    const betas = Float32Array.from(synthetic.person.betas)
    yield* writeGaussianAvatar(folder, {
      frames: split.frames,
      intrinsic: camera.intrinsic,
      extrinsic: camera.extrinsic,
      betas,
      poses: Float32Array.from(split.fit.poses),
      transl: Float32Array.from(split.fit.transl)
    })
    const n = split.frames.length
    yield* writeNpz(join(folder, TRUTH_FILE), {
      beta: ndarray([1, 10], betas),
      body_pose: ndarray([n, 72], Float32Array.from(split.truth.poses)),
      trans: ndarray([n, 3], Float32Array.from(split.truth.transl))
    }).pipe(Effect.mapError(fromIoError))
  })

/** Frames shown with the fitted body: four of the training turn, two held-out views, three novel poses. */
const overlayFrames = (split: Split): number[] => {
  const n = split.frames.length
  const picks = split.name === "train" ? [0, n / 4, n / 2, (3 * n) / 4] : split.name === "test" ? [0, n / 2] : [0, n / 4, n - 1]
  return [...new Set(picks.map((x) => Math.min(n - 1, Math.floor(x))))].filter((i) => i >= 0)
}

const writeOverlays = (dir: string, synthetic: Synthetic): Effect.Effect<void, DatasetError> =>
  Effect.gen(function* () {
    yield* makeFolder(join(dir, "overlays"))
    const { person, studio } = synthetic
    for (const split of synthetic.splits) {
      for (const i of overlayFrames(split)) {
        const fitted = posePerson(person, split.fit.poses.subarray(72 * i, 72 * i + 72), split.fit.transl.subarray(3 * i, 3 * i + 3))
        const image = overlay(split.frames[i]!, { vertices: fitted.body, rest: person.shapedRest, faces: person.body.faces, joints: fitted.joints, parents: person.body.parents }, studio.camera)
        yield* writePng(join(dir, "overlays", `${split.name}_${frameName(i)}.png`), image).pipe(Effect.mapError(fromIoError))
      }
    }
  })

const makeFolder = (folder: string): Effect.Effect<void, DatasetError> =>
  Effect.tryPromise({
    try: () => mkdir(folder, { recursive: true }),
    catch: (cause) => new DatasetError({ file: folder, reason: `cannot create folder: ${String(cause)}` })
  }).pipe(Effect.asVoid)

const round = (xs: ArrayLike<number>): number[] => Array.from(xs, (x) => Number(x.toPrecision(8)))

/** What synth.json records. */
export const description = (synthetic: Synthetic) => {
  const { options, studio, person } = synthetic
  return {
    generator: "gavatar synth (src/synth)",
    ...options,
    betas: round(person.betas),
    body: { vertices: person.body.vertexCount, faces: person.body.faces.length / 3 },
    camera: {
      width: studio.camera.width,
      height: studio.camera.height,
      intrinsic: round(studio.camera.intrinsic),
      extrinsic: round(studio.camera.extrinsic),
      convention: "OpenCV: pixel centres at integer coordinates; extrinsic is world to camera (x right, y down, z forward); world y up, the person faces +z at frame 0"
    },
    files: { fit: FIT_FILE, truth: TRUTH_FILE, fitIsNoisy: options.noise.degrees > 0 || options.noise.centimetres > 0 },
    splits: Object.fromEntries(
      synthetic.splits.map((s) => [
        s.name,
        {
          frames: s.frames.length,
          ...(s.views && { views: s.views.map((v) => ({ trainingFrame: v.frame, elevationDegrees: Number(((v.elevation * 180) / Math.PI).toFixed(6)), equivalentExtrinsic: round(v.extrinsic) })) })
        }
      ])
    )
  }
}

/** The parts of DIR this writer owns; a rerun replaces them. */
const OWN_ENTRIES = ["train", "test", "novel_pose", "overlays", "contact_sheet.png", "synth.json"]

/**
 * An empty or missing DIR is used as it is; a DIR written before by this writer (it has
 * synth.json) has its own entries removed, so no frame of a longer earlier run is left
 * behind; any other DIR is refused.
 */
const prepareFolder = (dir: string): Effect.Effect<void, DatasetError> =>
  Effect.gen(function* () {
    const entries = yield* Effect.tryPromise(() => readdir(dir)).pipe(Effect.orElseSucceed((): string[] => [])) // missing: nothing to clear
    if (entries.length > 0 && !entries.includes("synth.json")) {
      return yield* new DatasetError({ file: dir, reason: "folder is not empty and holds no synth.json from an earlier run; choose an empty or new folder" })
    }
    for (const entry of OWN_ENTRIES.filter((e) => entries.includes(e))) {
      yield* Effect.tryPromise({
        try: () => rm(join(dir, entry), { recursive: true, force: true }),
        catch: (cause) => new DatasetError({ file: join(dir, entry), reason: `cannot remove the earlier run's output: ${String(cause)}` })
      })
    }
    yield* makeFolder(dir)
  })

export const writeSynthetic = (dir: string, synthetic: Synthetic): Effect.Effect<void, DatasetError> =>
  Effect.gen(function* () {
    yield* prepareFolder(dir)
    for (const split of synthetic.splits) yield* writeSplit(dir, synthetic, split)
    const sheet = contactSheet(synthetic.splits.map((s) => ({ name: s.name, images: s.frames.map((f) => f.image) })))
    yield* writePng(join(dir, "contact_sheet.png"), sheet).pipe(Effect.mapError(fromIoError))
    yield* writeOverlays(dir, synthetic)
    const json = `${JSON.stringify(description(synthetic), null, 2)}\n`
    yield* writeBytes(join(dir, "synth.json"), new TextEncoder().encode(json)).pipe(Effect.mapError(fromIoError))
  })
