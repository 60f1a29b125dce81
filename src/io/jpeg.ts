/** JPEG decoding (jpeg-js, pure JavaScript) into the same 8-bit RGBA Image8 as PNG. */
import { Effect } from "effect"
import jpeg from "jpeg-js"
import { attempt, type IoError, readBytes } from "./errors.ts"
import { checkSize, defaultSizeLimit, jpegSize, MAX_SIDE, type SizeLimit } from "./imageSize.ts"
import { decodeOrDamaged, type Image8 } from "./png.ts"

/** jpeg-js's own limits, a second line behind the header check: MAX_SIDE squared, RGBA plus its working buffers. */
const limits = { maxResolutionInMP: (MAX_SIDE * MAX_SIDE) / 1e6, maxMemoryUsageInMB: 1024 }

/** Decodes a JPEG whose header size is within `limit` (checked before decoding); a truncated or damaged file fails with "truncated or damaged image". */
export const decodeJpeg = (bytes: Uint8Array, file: string, limit: SizeLimit = defaultSizeLimit): Effect.Effect<Image8, IoError> =>
  attempt(file, undefined, () => {
    checkSize(jpegSize(bytes, file), limit, file)
    const decoded = decodeOrDamaged(file, () => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, ...limits }))
    return { width: decoded.width, height: decoded.height, channels: 4, data: decoded.data }
  })

export const readJpeg = (file: string, limit: SizeLimit = defaultSizeLimit): Effect.Effect<Image8, IoError> => Effect.flatMap(readBytes(file), (bytes) => decodeJpeg(bytes, file, limit))
