/** Read a frame by its extension: PNG or JPEG, both as 8-bit RGBA, refused before decoding when its header's size is past `limit`. */
import { Effect } from "effect"
import { attempt, type IoError, readBytes } from "./errors.ts"
import { defaultSizeLimit, imageSize, type ImageSize, type SizeLimit } from "./imageSize.ts"
import { decodeJpeg } from "./jpeg.ts"
import type { Image8 } from "./png.ts"
import { decodePng } from "./png.ts"

export const imageExtensions: ReadonlyArray<string> = [".png", ".jpg", ".jpeg"]

const isJpegName = (file: string): boolean => /\.jpe?g$/i.test(file)

/** Decodes by the file's extension, refused before decoding when its header's size is past `limit`. */
export const decodeImage = (bytes: Uint8Array, file: string, limit: SizeLimit = defaultSizeLimit): Effect.Effect<Image8, IoError> =>
  isJpegName(file) ? decodeJpeg(bytes, file, limit) : decodePng(bytes, file, limit)

export const readImage = (file: string, limit: SizeLimit = defaultSizeLimit): Effect.Effect<Image8, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => decodeImage(bytes, file, limit))

/** The size a frame's header declares, from its bytes. */
export const headerSize = (bytes: Uint8Array, file: string): Effect.Effect<ImageSize, IoError> => attempt(file, undefined, () => imageSize(bytes, file))

/** The size a frame's header declares (nothing is decoded). */
export const readImageSize = (file: string): Effect.Effect<ImageSize, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => headerSize(bytes, file))
