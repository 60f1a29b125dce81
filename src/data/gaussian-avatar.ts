/**
 * The GaussianAvatar preprocessed layout, one split of one subject:
 *   <subject>/<split>/images/*.png      frames, sorted by name
 *                    masks/<same name>.png   foreground where the first channel >= 128
 *                    cam_parms.npz       intrinsic [3, 3], extrinsic [4, 4] (world to camera)
 *                    smpl_parms.pth | smpl_parms.npz   beta [1, 10], body_pose [N, 72], trans [N, 3]
 * Frame i of the sorted images uses row i of the body fit; counts must agree.
 * Frames may be PNG or JPEG; masks are PNG.
 */
import { Effect } from "effect"
import { basename, dirname, join } from "node:path"
import { imageExtensions } from "../io/image.ts"
import { readNpz } from "../io/npz.ts"
import { readTorch } from "../io/torch.ts"
import { DatasetError } from "./errors.ts"
import { type ArrayLookup, bodyFitElements, checkedArray, checkedCamera, dictLookup, sameFrameCount } from "./arrays.ts"
import type { Dataset } from "./dataset.ts"
import { exists, listFiles, stem } from "./folders.ts"
import { type FrameFiles, fromIoError, recordingDataset } from "./recording.ts"

export interface GaussianAvatarOptions {
  /** Integer factor to shrink images by; default 1. */
  readonly downscale?: number
  /** The body-fit file name inside the split folder; default smpl_parms.pth, else smpl_parms.npz. */
  readonly smplParams?: string
}

const bodyFitFile = (folder: string, name: string | undefined): Effect.Effect<string, DatasetError> =>
  Effect.gen(function* () {
    const candidates = name === undefined ? ["smpl_parms.pth", "smpl_parms.npz"] : [name]
    for (const candidate of candidates) {
      if (yield* exists(join(folder, candidate))) return join(folder, candidate)
    }
    return yield* new DatasetError({ file: join(folder, candidates[0] as string), reason: `body fit not found (looked for ${candidates.join(", ")})` })
  })

/** The fit's arrays, each refused before it is materialised when it is larger than `bodyFitElements(frames)`. */
const bodyFitLookup = (file: string, frames: number): Effect.Effect<ArrayLookup, DatasetError> => {
  const maxElements = bodyFitElements(frames)
  return file.endsWith(".npz")
    ? Effect.mapBoth(readNpz(file, { maxElements }), { onFailure: fromIoError, onSuccess: (npz) => npz.get })
    : Effect.mapBoth(readTorch(file, { maxElements }), { onFailure: fromIoError, onSuccess: (dict) => dictLookup(file, dict) })
}

const frameFiles = (folder: string): Effect.Effect<ReadonlyArray<FrameFiles>, DatasetError> =>
  Effect.gen(function* () {
    const imageFolder = join(folder, "images")
    const images = yield* listFiles(imageFolder, imageExtensions)
    if (images.length === 0) return yield* new DatasetError({ file: imageFolder, reason: "no PNG or JPEG frames" })
    const masks = new Set(yield* listFiles(join(folder, "masks"), [".png"]))
    return yield* Effect.forEach(images, (name) => {
      const mask = `${stem(name)}.png`
      return masks.has(mask)
        ? Effect.succeed({ image: join(imageFolder, name), mask: { _tag: "Png" as const, file: join(folder, "masks", mask) } })
        : Effect.fail(new DatasetError({ file: join(folder, "masks", mask), reason: `mask of frame ${name} not found` }))
    })
  })

const checkedDownscale = (folder: string, factor: number): Effect.Effect<number, DatasetError> =>
  Number.isInteger(factor) && factor >= 1 ? Effect.succeed(factor) : Effect.fail(new DatasetError({ file: folder, reason: `downscale must be a positive integer, got ${factor}` }))

/** Opens `<subject>/<split>`; frames decode lazily, everything else is read and checked now. */
export const readGaussianAvatar = (folder: string, options: GaussianAvatarOptions = {}): Effect.Effect<Dataset, DatasetError> =>
  Effect.gen(function* () {
    const downscale = yield* checkedDownscale(folder, options.downscale ?? 1)
    const frames = yield* frameFiles(folder)
    const cameraFile = join(folder, "cam_parms.npz")
    const camera = yield* Effect.mapError(readNpz(cameraFile), fromIoError)
    const { intrinsic, extrinsic } = yield* checkedCamera(cameraFile, camera.get)
    const fitFile = yield* bodyFitFile(folder, options.smplParams)
    const fit = yield* bodyFitLookup(fitFile, frames.length)
    const betas = yield* checkedArray(fitFile, fit, "beta", [[1, 10], [10]])
    const poses = yield* checkedArray(fitFile, fit, "body_pose", [[null, 72]])
    const transl = yield* checkedArray(fitFile, fit, "trans", [[poses.shape[0] as number, 3]])
    yield* sameFrameCount(fitFile, "body_pose", poses.shape[0] as number, frames.length)
    return recordingDataset({
      name: `${basename(dirname(folder))}/${basename(folder)}`,
      folder,
      frames,
      intrinsic,
      extrinsic,
      betas: Float32Array.from(betas.data),
      poses: Float32Array.from(poses.data),
      transl: Float32Array.from(transl.data),
      downscale
    })
  })
