/**
 * Binning: Gaussians sorted by (depth, index), then counted into the 16x16
 * tiles their footprint rectangle touches. Each tile's list comes out in depth
 * order because Gaussians are visited in that order (a counting sort).
 */
import type { CameraSetup } from "./camera.ts"
import { tileSize } from "./constants.ts"
import { P, projectedStride } from "./gaussians.ts"
import { f32, i32 } from "./typed.ts"

export interface TileBins {
  /** Tile t holds tileList[tileOffsets[t] .. tileOffsets[t + 1]). Tiles are row-major. */
  readonly tileOffsets: Int32Array
  readonly tileList: Int32Array
}

const radixBits = 16
const radixMask = (1 << radixBits) - 1

/** One stable counting-sort pass of (keys, order) by the 16 key bits at `shift`, into (keysOut, orderOut). */
const radixPass = (keys: Uint32Array, order: Int32Array, keysOut: Uint32Array, orderOut: Int32Array, shift: number, starts: Int32Array): void => {
  starts.fill(0)
  for (let k = 0; k < keys.length; k++) {
    const digit = ((keys[k] as number) >>> shift) & radixMask
    starts[digit + 1] = i32(starts, digit + 1) + 1
  }
  for (let d = 0; d < radixMask; d++) starts[d + 1] = i32(starts, d + 1) + i32(starts, d)
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as number
    const digit = (key >>> shift) & radixMask
    const to = i32(starts, digit)
    starts[digit] = to + 1
    keysOut[to] = key
    orderOut[to] = i32(order, k)
  }
}

/**
 * Kept Gaussians in front-to-back order; ties in depth keep index order. Depths
 * are positive (near > 0), so their float32 bit patterns sort as unsigned
 * integers: a two-pass stable radix sort of the bits, starting in index order.
 */
export const depthOrder = (projected: Float32Array, count: number): Int32Array => {
  if (count > 1 << 22) throw new RangeError(`rasterize: at most ${1 << 22} Gaussians (got ${count})`)
  const bits = new Uint32Array(projected.buffer, projected.byteOffset, projected.length)
  let kept = 0
  for (let i = 0; i < count; i++) if (f32(projected, i * projectedStride + P.radiusX) !== 0) kept++
  const keys = new Uint32Array(kept)
  const order = new Int32Array(kept)
  for (let i = 0, k = 0; i < count; i++) {
    if (f32(projected, i * projectedStride + P.radiusX) === 0) continue
    keys[k] = bits[i * projectedStride + P.depth] as number
    order[k++] = i
  }
  const keysOut = new Uint32Array(kept)
  const orderOut = new Int32Array(kept)
  const starts = new Int32Array(radixMask + 2)
  radixPass(keys, order, keysOut, orderOut, 0, starts)
  radixPass(keysOut, orderOut, keys, order, radixBits, starts)
  return order
}

/** The tile rectangle [x0, x1) x [y0, y1) touched by Gaussian i, written into rect[at .. at + 4). */
export const tileRect = (projected: Float32Array, i: number, cam: CameraSetup, rect: Int32Array, at = 0): void => {
  const o = i * projectedStride
  const mx = f32(projected, o + P.mx)
  const my = f32(projected, o + P.my)
  const rx = f32(projected, o + P.radiusX)
  const ry = f32(projected, o + P.radiusY)
  rect[at] = Math.min(cam.tilesX, Math.max(0, Math.floor((mx - rx) / tileSize)))
  rect[at + 1] = Math.min(cam.tilesY, Math.max(0, Math.floor((my - ry) / tileSize)))
  rect[at + 2] = Math.min(cam.tilesX, Math.max(0, Math.ceil((mx + rx) / tileSize)))
  rect[at + 3] = Math.min(cam.tilesY, Math.max(0, Math.ceil((my + ry) / tileSize)))
}

export const binGaussians = (projected: Float32Array, count: number, cam: CameraSetup): TileBins => {
  const order = depthOrder(projected, count)
  const numTiles = cam.tilesX * cam.tilesY
  const tileOffsets = new Int32Array(numTiles + 1)
  /** Tile rectangle of the k-th Gaussian in depth order at 4 k. */
  const rects = new Int32Array(order.length * 4)
  for (let k = 0; k < order.length; k++) {
    tileRect(projected, i32(order, k), cam, rects, 4 * k)
    for (let ty = i32(rects, 4 * k + 1); ty < i32(rects, 4 * k + 3); ty++)
      for (let tx = i32(rects, 4 * k); tx < i32(rects, 4 * k + 2); tx++) {
        const slot = ty * cam.tilesX + tx + 1
        tileOffsets[slot] = i32(tileOffsets, slot) + 1
      }
  }
  for (let t = 0; t < numTiles; t++) tileOffsets[t + 1] = i32(tileOffsets, t + 1) + i32(tileOffsets, t)
  const cursor = tileOffsets.slice(0, numTiles)
  const tileList = new Int32Array(i32(tileOffsets, numTiles))
  for (let k = 0; k < order.length; k++) {
    const i = i32(order, k)
    for (let ty = i32(rects, 4 * k + 1); ty < i32(rects, 4 * k + 3); ty++)
      for (let tx = i32(rects, 4 * k); tx < i32(rects, 4 * k + 2); tx++) {
        const t = ty * cam.tilesX + tx
        tileList[i32(cursor, t)] = i
        cursor[t] = i32(cursor, t) + 1
      }
  }
  return { tileOffsets, tileList }
}
