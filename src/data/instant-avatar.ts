/**
 * The InstantAvatar / People-Snapshot layout:
 *   <subject>/cameras.npz      intrinsic [3, 3], extrinsic [4, 4], height, width
 *            images/image_%04d.png, masks/mask_%04d.npy ([H, W], bool, 0/1 or 0..255 integers, or floats in 0..1)
 *            poses/anim_nerf_<split>.npz (or poses/<split>.npz): the refined fit of the split's frames
 *            poses.npz          the fit of every frame, used when no split file exists
 * A fit has betas [10] or [1, 10], transl [N, 3] and either global_orient [N, 3] + body_pose [N, 69]
 * or thetas [N, 72]. A split takes the sorted frames start..end (inclusive) every `skip`,
 * e.g. People-Snapshot female-3-casual trains on 0..445 step 4.
 */
import { Effect } from "effect"
import { basename, join } from "node:path"
import { type Npz, readNpz } from "../io/npz.ts"
import { DatasetError } from "./errors.ts"
import { bodyFitElements, checkedArray, checkedCamera, sameFrameCount } from "./arrays.ts"
import type { Dataset } from "./dataset.ts"
import { exists, listFiles } from "./folders.ts"
import { imageExtensions } from "../io/image.ts"
import { fromIoError, recordingDataset } from "./recording.ts"

export interface InstantAvatarOptions {
  readonly split: "train" | "val" | "test"
  readonly start?: number
  /** Last frame, inclusive; default the last one. */
  readonly end?: number
  readonly skip?: number
  readonly downscale?: number
}

const openNpz = (file: string, maxElements?: number) => Effect.mapError(readNpz(file, maxElements === undefined ? {} : { maxElements }), fromIoError)

/** SMPL pose rows [N, 72] from thetas, or from global_orient and body_pose side by side. */
const posesOf = (file: string, fit: Npz) =>
  Effect.gen(function* () {
    if (fit.has("thetas")) return yield* checkedArray(file, fit.get, "thetas", [[null, 72]])
    const orient = yield* checkedArray(file, fit.get, "global_orient", [[null, 3]])
    const n = orient.shape[0] as number
    const body = yield* checkedArray(file, fit.get, "body_pose", [[n, 69]])
    const data = new Float64Array(n * 72)
    for (let i = 0; i < n; i++) {
      data.set(orient.data.subarray(3 * i, 3 * i + 3), 72 * i)
      data.set(body.data.subarray(69 * i, 69 * i + 69), 72 * i + 3)
    }
    return { shape: [n, 72], data }
  })

const pick = <A>(items: ReadonlyArray<A>, start: number, end: number, skip: number): Array<A> =>
  items.filter((_, i) => i >= start && i <= end && (i - start) % skip === 0)

/** The split's own fit file, or poses.npz with its rows picked like the frames. */
const fitFor = (folder: string, split: string) =>
  Effect.gen(function* () {
    for (const name of [`anim_nerf_${split}.npz`, `${split}.npz`]) {
      const file = join(folder, "poses", name)
      if (yield* exists(file)) return { file, perSplit: true }
    }
    return { file: join(folder, "poses.npz"), perSplit: false }
  })

const checkedSelection = (folder: string, o: InstantAvatarOptions, frames: number) => {
  const start = o.start ?? 0
  const end = Math.min(o.end ?? frames - 1, frames - 1)
  const skip = o.skip ?? 1
  const downscale = o.downscale ?? 1
  const ok = [start, skip, downscale].every(Number.isInteger) && start >= 0 && start <= end && skip >= 1 && downscale >= 1
  return ok
    ? Effect.succeed({ start, end, skip, downscale })
    : Effect.fail(new DatasetError({ file: folder, reason: `bad frame selection start ${start}, end ${end}, skip ${skip}, downscale ${downscale} (${frames} frames)` }))
}

export const readInstantAvatar = (folder: string, options: InstantAvatarOptions): Effect.Effect<Dataset, DatasetError> =>
  Effect.gen(function* () {
    const images = yield* listFiles(join(folder, "images"), imageExtensions)
    const masks = yield* listFiles(join(folder, "masks"), [".npy"])
    if (images.length === 0) return yield* new DatasetError({ file: join(folder, "images"), reason: "no PNG or JPEG frames" })
    if (masks.length !== images.length) {
      return yield* new DatasetError({ file: join(folder, "masks"), reason: `${masks.length} masks for ${images.length} images` })
    }
    const { start, end, skip, downscale } = yield* checkedSelection(folder, options, images.length)
    const cameraFile = join(folder, "cameras.npz")
    const camera = yield* openNpz(cameraFile)
    const { intrinsic, extrinsic } = yield* checkedCamera(cameraFile, camera.get)
    const height = yield* checkedArray(cameraFile, camera.get, "height", [[], [1]])
    const width = yield* checkedArray(cameraFile, camera.get, "width", [[], [1]])
    const { file: fitFile, perSplit } = yield* fitFor(folder, options.split)
    const fit = yield* openNpz(fitFile, bodyFitElements(images.length))
    const betas = yield* checkedArray(fitFile, fit.get, "betas", [[10], [1, 10]])
    const allPoses = yield* posesOf(fitFile, fit)
    const allTransl = yield* checkedArray(fitFile, fit.get, "transl", [[allPoses.shape[0] as number, 3]])
    const frames = pick(images.map((image, i) => ({ image: join(folder, "images", image), mask: { _tag: "Npy" as const, file: join(folder, "masks", masks[i] as string) } })), start, end, skip)
    const rows = Array.from({ length: allPoses.shape[0] as number }, (_, i) => i)
    const kept = perSplit ? rows : pick(rows, start, end, skip)
    yield* sameFrameCount(fitFile, perSplit ? "the split's fit" : "the selected rows of poses.npz", kept.length, frames.length)
    return recordingDataset({
      name: `${basename(folder)}/${options.split}`,
      folder,
      frames,
      intrinsic,
      extrinsic,
      betas: Float32Array.from(betas.data),
      poses: Float32Array.from(kept.flatMap((r) => Array.from(allPoses.data.subarray(72 * r, 72 * r + 72)))),
      transl: Float32Array.from(kept.flatMap((r) => Array.from(allTransl.data.subarray(3 * r, 3 * r + 3)))),
      downscale,
      size: { width: width.data[0] as number, height: height.data[0] as number }
    })
  })
