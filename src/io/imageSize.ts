/**
 * An image's size read from its header, before anything is decoded, and the limit a frame must
 * keep to: at most MAX_SIDE pixels per side, and no larger than a caller's bound (a dataset's first
 * frame). PNG: the IHDR chunk (width, height as big-endian u32 at bytes 16 and 20). JPEG: the first
 * start-of-frame marker (SOF0..SOF15 except DHT C4, JPG C8, DAC CC): precision, height, width.
 */
import { fail } from "./errors.ts"

export interface ImageSize {
  readonly width: number
  readonly height: number
}

/** The most pixels per side a frame may have. */
export const MAX_SIDE = 8192

/** What a decoder may accept: a size bound and what it comes from (for the message). */
export interface SizeLimit extends ImageSize {
  readonly source: string
}

export const defaultSizeLimit: SizeLimit = { width: MAX_SIDE, height: MAX_SIDE, source: `the limit of ${MAX_SIDE} pixels per side` }

export const DAMAGED = "truncated or damaged image"

const u16be = (b: Uint8Array, at: number): number => ((b[at] as number) << 8) | (b[at + 1] as number)
const u32be = (b: Uint8Array, at: number): number => (u16be(b, at) * 65536 + u16be(b, at + 2))

const isPng = (b: Uint8Array): boolean => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47
const isJpeg = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8

export const pngSize = (bytes: Uint8Array, file: string): ImageSize => {
  if (!isPng(bytes)) fail(file, "not a PNG image")
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") fail(file, `${DAMAGED} (no PNG header chunk)`)
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) }
}

const isStartOfFrame = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc

export const jpegSize = (bytes: Uint8Array, file: string): ImageSize => {
  if (!isJpeg(bytes)) fail(file, "not a JPEG image")
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) fail(file, `${DAMAGED} (no JPEG marker at byte ${at})`)
    const marker = bytes[at + 1] as number
    if (marker === 0xff) { at += 1; continue } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue } // no length
    if (marker === 0xda || marker === 0xd9) break // scan data or end before any frame header
    const length = u16be(bytes, at + 2)
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) break
      return { width: u16be(bytes, at + 7), height: u16be(bytes, at + 5) }
    }
    at += 2 + length
  }
  return fail(file, `${DAMAGED} (no JPEG frame header)`)
}

/** Fails unless the size is at least 1x1 and within `limit`. */
export const checkSize = (size: ImageSize, limit: SizeLimit, file: string): void => {
  if (size.width < 1 || size.height < 1) fail(file, `${DAMAGED} (header says ${size.width}x${size.height})`)
  if (size.width > limit.width || size.height > limit.height) {
    fail(file, `image is ${size.width}x${size.height}, larger than ${limit.width}x${limit.height} (${limit.source}): refused before decoding`)
  }
}

/** The size of a PNG or JPEG, by its first bytes. */
export const imageSize = (bytes: Uint8Array, file: string): ImageSize => (isJpeg(bytes) ? jpegSize(bytes, file) : pngSize(bytes, file))
