/**
 * --crop: one square around the person in every kept frame (one camera for the whole clip), the
 * union of the masks' extents enlarged by 10%, moved inside the frame and no larger than its shorter
 * side; frames, masks and landmarks are cut to it and scaled to `size`, and the camera with them
 * (focal length scaled, principal point moved: the crop does not change what the camera saw).
 */
import type { Image8 } from "../io/png.ts"
import { resizeImage } from "./frames.ts"
import type { Pinhole } from "./init.ts"

export interface CropBox {
  readonly x0: number
  readonly y0: number
  readonly side: number
}

export const cropBox = (masks: ReadonlyArray<Uint8Array>, width: number, height: number): CropBox => {
  let x0 = width, y0 = height, x1 = -1, y1 = -1
  for (const m of masks)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (m[y * width + x]! >= 128) {
          x0 = Math.min(x0, x)
          x1 = Math.max(x1, x)
          y0 = Math.min(y0, y)
          y1 = Math.max(y1, y)
        }
  if (x1 < 0) return { x0: 0, y0: 0, side: Math.min(width, height) }
  const side = Math.min(Math.min(width, height), Math.ceil(1.1 * Math.max(x1 - x0 + 1, y1 - y0 + 1)))
  const clamp = (v: number, size: number) => Math.max(0, Math.min(size - side, Math.round(v)))
  return { x0: clamp((x0 + x1 + 1) / 2 - side / 2, width), y0: clamp((y0 + y1 + 1) / 2 - side / 2, height), side }
}

const cut = (image: Image8, box: CropBox): Image8 => {
  const data = new Uint8Array(box.side * box.side * image.channels)
  for (let y = 0; y < box.side; y++) {
    const from = ((box.y0 + y) * image.width + box.x0) * image.channels
    data.set(image.data.subarray(from, from + box.side * image.channels), y * box.side * image.channels)
  }
  return { width: box.side, height: box.side, channels: image.channels, data }
}

export const cropImage = (image: Image8, box: CropBox, size: number): Image8 => resizeImage(cut(image, box), size, size)

export const cropMask = (mask: Uint8Array, width: number, box: CropBox, size: number): Uint8Array => {
  const out = new Uint8Array(size * size)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) out[y * size + x] = mask[(box.y0 + Math.floor(((y + 0.5) * box.side) / size)) * width + box.x0 + Math.floor(((x + 0.5) * box.side) / size)]!
  return out
}

/** Landmarks [K * 3] moved into the crop's pixels (pixel centres at integers). */
export const cropLandmarks = (landmarks: Float32Array, box: CropBox, size: number): Float32Array =>
  landmarks.map((v, i) => (i % 3 === 2 ? v : ((v - (i % 3 === 0 ? box.x0 : box.y0) + 0.5) * size) / box.side - 0.5))

/** The camera of the uncropped frames seen through the crop scaled to `size` (pixel centres at integers, as cropLandmarks). */
export const cropCamera = (camera: Pinhole, box: CropBox, size: number): Pinhole => {
  const s = size / box.side
  return { fx: camera.fx * s, fy: camera.fy * s, cx: (camera.cx - box.x0 + 0.5) * s - 0.5, cy: (camera.cy - box.y0 + 0.5) * s - 0.5 }
}
