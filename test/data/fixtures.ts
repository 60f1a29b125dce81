/** A small valid sequence (3 frames of 4x6 pixels) to write with the dataset writer and then damage. */
import type { Image8 } from "../../src/io/png.ts"
import type { SequenceToWrite } from "../../src/data/write.ts"

export const W = 6
export const H = 4
export const N = 3

/** Frame i: pixel (x, y) has RGB (10 i + x, 20 y, 200); the mask is foreground on the left half. */
export const frameImage = (i: number, width = W, height = H): Image8 => {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([10 * i + x, 20 * y, 200], 3 * (y * width + x))
  return { width, height, channels: 3, data }
}

export const leftHalfMask = (width = W, height = H): Image8 => {
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) data[y * width + x] = 255
  return { width, height, channels: 1, data }
}

export const sequence = (): SequenceToWrite => ({
  frames: Array.from({ length: N }, (_, i) => ({ image: frameImage(i), mask: leftHalfMask() })),
  intrinsic: Float64Array.from([500, 0, 2.5, 0, 500, 1.5, 0, 0, 1]),
  extrinsic: Float64Array.from([1, 0, 0, 0, 0, -1, 0, 0.1, 0, 0, -1, 2.5, 0, 0, 0, 1]),
  betas: Float32Array.from({ length: 10 }, (_, i) => i / 10),
  poses: Float32Array.from({ length: N * 72 }, (_, i) => Math.sin(i)),
  transl: Float32Array.from({ length: N * 3 }, (_, i) => i / 100)
})
