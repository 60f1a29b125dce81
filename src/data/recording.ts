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
import { readBytes } from "../io/errors.ts"
import { type NdArray, toFloat32 } from "../io/ndarray.ts"
import { parseNpy } from "../io/npy.ts"
import { readImage } from "../io/image.ts"
import { type Image8, readPng } from "../io/png.ts"
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
    return readPng(mask.file).pipe(
      Effect.mapError(fromIoError),
      Effect.filterOrFail((m) => m.width === image.width && m.height === image.height, (m) => wrongSize(`${m.width}x${m.height}`)),
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

const loadFrame = (rec: Recording, files: FrameFiles): Effect.Effect<Frame, DatasetError> =>
  Effect.gen(function* () {
    const image = yield* Effect.mapError(readImage(files.image), fromIoError)
    if (rec.size && (image.width !== rec.size.width || image.height !== rec.size.height)) {
      return yield* new DatasetError({ file: files.image, reason: `image is ${image.width}x${image.height}, the camera file says ${rec.size.width}x${rec.size.height}` })
    }
    const mask = yield* readMask(files.mask, image)
    return downscale(compositeOnWhite(image, mask), rec.downscale)
  })

export const recordingDataset = (rec: Recording): Dataset => {
  const size = rec.frames.length
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
      return Effect.map(loadFrame(rec, files), (frame) => ({
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
