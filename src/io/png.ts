/**
 * PNG images via pngjs. Decoding always gives 8-bit RGBA (pngjs expands grey and
 * palette images and rescales 16-bit ones); encoding takes 1 (grey), 3 (RGB) or 4
 * (RGBA) channels of 8-bit data, row-major [height, width, channels].
 */
import { Effect } from "effect"
import { PNG } from "pngjs"
import { writeBytes } from "./atomic.ts"
import { attempt, fail, type IoError, readBytes } from "./errors.ts"
import { checkSize, DAMAGED, defaultSizeLimit, pngSize, type SizeLimit } from "./imageSize.ts"

export interface Image8 {
  readonly width: number
  readonly height: number
  readonly channels: 1 | 3 | 4
  /** [height, width, channels] */
  readonly data: Uint8Array
}

/**
 * Decodes a PNG whose header size is within `limit` (checked before any pixel is inflated); a
 * truncated or damaged file fails with "truncated or damaged image".
 */
export const decodePng = (bytes: Uint8Array, file: string, limit: SizeLimit = defaultSizeLimit): Effect.Effect<Image8, IoError> =>
  attempt(file, undefined, () => {
    checkSize(pngSize(bytes, file), limit, file)
    const png = decodeOrDamaged(file, () => PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    return { width: png.width, height: png.height, channels: 4, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) }
  })

/** Runs a third-party decoder; whatever it throws (pngjs: "read requests waiting on finished stream", jpeg-js: TypeErrors) means a damaged file. */
export const decodeOrDamaged = <A>(file: string, decode: () => A): A => {
  try {
    return decode()
  } catch {
    return fail(file, DAMAGED)
  }
}

export const readPng = (file: string, limit: SizeLimit = defaultSizeLimit): Effect.Effect<Image8, IoError> => Effect.flatMap(readBytes(file), (bytes) => decodePng(bytes, file, limit))

const toRgba = (image: Image8): Uint8Array => {
  if (image.channels === 4) return image.data
  const n = image.width * image.height
  const out = new Uint8Array(n * 4)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[4 * i + c] = image.data[image.channels === 1 ? i : 3 * i + c] as number
    out[4 * i + 3] = 255
  }
  return out
}

export const encodePng = (image: Image8): Uint8Array => {
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new RangeError(`image ${image.width}x${image.height}x${image.channels} needs ${image.width * image.height * image.channels} bytes, got ${image.data.length}`)
  }
  const png = new PNG({ width: image.width, height: image.height })
  png.data = Buffer.from(toRgba(image))
  const colorType = image.channels === 1 ? 0 : image.channels === 3 ? 2 : 6
  return new Uint8Array(PNG.sync.write(png, { colorType }))
}

export const writePng = (file: string, image: Image8): Effect.Effect<void, IoError> =>
  Effect.flatMap(attempt(file, undefined, () => encodePng(image)), (bytes) => writeBytes(file, bytes))
