/** JPEG decoding (jpeg-js, pure JavaScript) into the same 8-bit RGBA Image8 as PNG. */
import { Effect } from "effect"
import jpeg from "jpeg-js"
import { attempt, fail, type IoError, readBytes } from "./errors.ts"
import type { Image8 } from "./png.ts"

/** Frames up to 16k x 16k pixels, 1 GB of decoded memory at most. */
const limits = { maxResolutionInMP: 256, maxMemoryUsageInMB: 1024 }

export const decodeJpeg = (bytes: Uint8Array, file: string): Effect.Effect<Image8, IoError> =>
  attempt(file, undefined, () => {
    if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8) fail(file, "not a JPEG image")
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, ...limits })
    return { width: decoded.width, height: decoded.height, channels: 4, data: decoded.data }
  })

export const readJpeg = (file: string): Effect.Effect<Image8, IoError> => Effect.flatMap(readBytes(file), (bytes) => decodeJpeg(bytes, file))
