/**
 * One recorded sequence with a static camera, whatever layout it came from: frame
 * files, camera and body fit. `recordingDataset` turns it into a Dataset whose
 * samples decode their image and mask lazily.
 *
 * Sample tensors: "image" [H, W, 3] in 0..1 on a white background, "mask" [H, W]
 * in 0..1, "pose" [72] (SMPL axis-angle, first 3 = global orientation), "transl"
 * [3], "betas" [10], "intrinsic" [3, 3] (pixel centres at integer coordinates),
 * "extrinsic" [4, 4] (world to camera). perFrame: "pose" [N, 72], "transl" [N, 3].
 */
import { Effect, Option } from "effect"
import { attempt, readBytes } from "../io/errors.ts"
import { type NdArray, toFloat32 } from "../io/ndarray.ts"
import { parseNpy } from "../io/npy.ts"
import { decodeImage, headerSize, readImageSize } from "../io/image.ts"
import { checkSize, defaultSizeLimit, MAX_SIDE, pngSize, type SizeLimit } from "../io/imageSize.ts"
import { decodePng, type Image8 } from "../io/png.ts"
import { DatasetError, fromIoError } from "./errors.ts"
import { type Dataset, type HostTensor, hostTensor } from "./dataset.ts"
import { type Frame, binaryMask, compositeOnWhite, downscale, downscaleIntrinsic } from "./image.ts"

export type MaskFile =
  | { readonly _tag: "Png"; readonly file: string }
  | { readonly _tag: "Npy"; readonly file: string }

export interface FrameFiles {
  readonly image: string
  readonly mask: MaskFile
}

export interface Recording {
  readonly name: string
  /** The folder, for messages. */
  readonly folder: string
  readonly frames: ReadonlyArray<FrameFiles>
  /** [9] row-major 3x3, at full resolution */
  readonly intrinsic: Float64Array
  /** [16] row-major 4x4 */
  readonly extrinsic: Float64Array
  /** [10] */
  readonly betas: Float32Array
  /** [N*72] */
  readonly poses: Float32Array
  /** [N*3] */
  readonly transl: Float32Array
  /** Integer factor the images are shrunk by (1 = full size). */
  readonly downscale: number
  /** Full-resolution size every frame must have, when the layout states it. */
  readonly size?: { readonly width: number; readonly height: number }
}


/** An .npy mask as weights in 0..1: booleans as 0/1, integers up to 1 as they are, larger integers / 255, floats clamped. */
const npyMaskWeights = (a: NdArray): Float32Array => {
  const values = toFloat32(a)
  const integer = a.dtype !== "f4" && a.dtype !== "f8"
  const scale = integer && values.some((v) => v > 1) ? 1 / 255 : 1
  return values.map((v) => Math.min(1, Math.max(0, v * scale)))
}

const readMask = (mask: MaskFile, image: Image8): Effect.Effect<Float32Array, DatasetError> => {
  const wrongSize = (size: string) =>
    new DatasetError({ file: mask.file, reason: `mask is ${size} but its image is ${image.width}x${image.height}` })
  if (mask._tag === "Png") {
    // The header's size is compared before any pixel is decoded.
    return readBytes(mask.file).pipe(
      Effect.flatMap((bytes) => Effect.map(attempt(mask.file, undefined, () => pngSize(bytes, mask.file)), (size) => ({ bytes, size }))),
      Effect.mapError(fromIoError),
      Effect.filterOrFail(({ size }) => size.width === image.width && size.height === image.height, ({ size }) => wrongSize(`${size.width}x${size.height}`)),
      Effect.flatMap(({ bytes }) => Effect.mapError(decodePng(bytes, mask.file, { width: image.width, height: image.height, source: "its image" }), fromIoError)),
      Effect.map(binaryMask)
    )
  }
  return readBytes(mask.file).pipe(
    Effect.flatMap((bytes) => parseNpy(bytes, mask.file)),
    Effect.mapError(fromIoError),
    Effect.filterOrFail(
      (m) => m.shape.length >= 2 && m.shape[0] === image.height && m.shape[1] === image.width && (m.shape.length === 2 || (m.shape.length === 3 && m.shape[2] === 1)),
      (m) => wrongSize(`[${m.shape.join(", ")}]`)
    ),
    Effect.map(npyMaskWeights)
  )
}

/**
 * The largest frame a recording accepts, before decoding: the size its camera file states, else its
 * first frame's (read from that frame's header); never more than MAX_SIDE (8192) per side.
 */
const frameLimit = (rec: Recording): Effect.Effect<SizeLimit, DatasetError> => {
  if (rec.size && rec.size.width <= MAX_SIDE && rec.size.height <= MAX_SIDE) return Effect.succeed({ ...rec.size, source: "the size the camera file states" })
  const first = rec.frames[0]
  if (first === undefined) return Effect.succeed(defaultSizeLimit)
  return readImageSize(first.image).pipe(
    Effect.tap((size) => attempt(first.image, undefined, () => checkSize(size, defaultSizeLimit, first.image))),
    Effect.map((size) => ({ ...size, source: `the dataset's first frame, ${first.image}` })),
    Effect.mapError(fromIoError)
  )
}

const loadFrame = (rec: Recording, files: FrameFiles, limit: SizeLimit): Effect.Effect<Frame, DatasetError> =>
  Effect.gen(function* () {
    const bytes = yield* Effect.mapError(readBytes(files.image), fromIoError)
    const size = yield* Effect.mapError(headerSize(bytes, files.image), fromIoError)
    if (rec.size && (size.width !== rec.size.width || size.height !== rec.size.height)) {
      return yield* new DatasetError({ file: files.image, reason: `image is ${size.width}x${size.height}, the camera file says ${rec.size.width}x${rec.size.height}` })
    }
    const image = yield* Effect.mapError(decodeImage(bytes, files.image, limit), fromIoError)
    const mask = yield* readMask(files.mask, image)
    return downscale(compositeOnWhite(image, mask), rec.downscale)
  })

export const recordingDataset = (rec: Recording): Dataset => {
  const size = rec.frames.length
  let limit: SizeLimit | undefined
  const knownLimit = Effect.suspend(() => (limit ? Effect.succeed(limit) : Effect.tap(frameLimit(rec), (l) => { limit = l })))
  const intrinsic = hostTensor([3, 3], Float32Array.from(downscaleIntrinsic(rec.intrinsic, rec.downscale)))
  const extrinsic = hostTensor([4, 4], Float32Array.from(rec.extrinsic))
  const betas = hostTensor([10], rec.betas)
  const perFrame: Record<string, HostTensor> = {
    pose: hostTensor([size, 72], rec.poses),
    transl: hostTensor([size, 3], rec.transl)
  }
  return {
    name: rec.name,
    size,
    perFrame: (key) => Option.fromNullable(perFrame[key]),
    sample: (index) => {
      const files = rec.frames[index]
      if (files === undefined) return Effect.fail(new DatasetError({ file: rec.folder, reason: `frame ${index} out of range (${size} frames)` }))
      return Effect.map(Effect.flatMap(knownLimit, (l) => loadFrame(rec, files, l)), (frame) => ({
        index,
        tensors: {
          image: hostTensor([frame.height, frame.width, 3], frame.rgb),
          mask: hostTensor([frame.height, frame.width], frame.mask),
          pose: hostTensor([72], rec.poses.slice(index * 72, index * 72 + 72)),
          transl: hostTensor([3], rec.transl.slice(index * 3, index * 3 + 3)),
          betas,
          intrinsic,
          extrinsic
        }
      }))
    }
  }
}

export { fromIoError }
