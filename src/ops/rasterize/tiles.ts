/**
 * Binning: Gaussians sorted by (depth, index), then counted into the 16x16
 * tiles their footprint rectangle touches. Each tile's list comes out in depth
 * order because Gaussians are visited in that order (a counting sort).
 */
import type { CameraSetup } from "./camera.ts"
import { tileSize } from "./constants.ts"
import { P, projectedStride } from "./gaussians.ts"
import { f32, f64, i32 } from "./typed.ts"

export interface TileBins {
  /** Tile t holds tileList[tileOffsets[t] .. tileOffsets[t + 1]). Tiles are row-major. */
  readonly tileOffsets: Int32Array
  readonly tileList: Int32Array
}

const at = (a: ArrayLike<number>, i: number): number => a[i] as number

/** Kept Gaussians in front-to-back order; ties in depth keep index order. */
export const depthOrder = (projected: Float32Array, count: number): Int32Array => {
  if (count > 1 << 22) throw new RangeError(`rasterize: at most ${1 << 22} Gaussians (got ${count})`)
  const bits = new Uint32Array(projected.buffer, projected.byteOffset, projected.length)
  const keys = new Float64Array(count)
  let kept = 0
  for (let i = 0; i < count; i++) {
    if (f32(projected, i * projectedStride + P.radiusX) === 0) continue
    keys[kept++] = at(bits, i * projectedStride + P.depth) * count + i
  }
  const sorted = keys.subarray(0, kept).sort()
  const order = new Int32Array(kept)
  for (let k = 0; k < kept; k++) order[k] = f64(sorted, k) % count
  return order
}

/** The tile rectangle [x0, x1) x [y0, y1) touched by Gaussian i, written into rect. */
export const tileRect = (projected: Float32Array, i: number, cam: CameraSetup, rect: Int32Array): void => {
  const o = i * projectedStride
  const mx = f32(projected, o + P.mx)
  const my = f32(projected, o + P.my)
  const rx = f32(projected, o + P.radiusX)
  const ry = f32(projected, o + P.radiusY)
  rect[0] = Math.min(cam.tilesX, Math.max(0, Math.floor((mx - rx) / tileSize)))
  rect[1] = Math.min(cam.tilesY, Math.max(0, Math.floor((my - ry) / tileSize)))
  rect[2] = Math.min(cam.tilesX, Math.max(0, Math.ceil((mx + rx) / tileSize)))
  rect[3] = Math.min(cam.tilesY, Math.max(0, Math.ceil((my + ry) / tileSize)))
}

export const binGaussians = (projected: Float32Array, count: number, cam: CameraSetup): TileBins => {
  const order = depthOrder(projected, count)
  const numTiles = cam.tilesX * cam.tilesY
  const tileOffsets = new Int32Array(numTiles + 1)
  const rect = new Int32Array(4)
  for (let k = 0; k < order.length; k++) {
    tileRect(projected, i32(order, k), cam, rect)
    for (let ty = i32(rect, 1); ty < i32(rect, 3); ty++) for (let tx = i32(rect, 0); tx < i32(rect, 2); tx++) {
        const slot = ty * cam.tilesX + tx + 1
        tileOffsets[slot] = i32(tileOffsets, slot) + 1
      }
  }
  for (let t = 0; t < numTiles; t++) tileOffsets[t + 1] = i32(tileOffsets, t + 1) + i32(tileOffsets, t)
  const cursor = tileOffsets.slice(0, numTiles)
  const tileList = new Int32Array(i32(tileOffsets, numTiles))
  for (let k = 0; k < order.length; k++) {
    const i = i32(order, k)
    tileRect(projected, i, cam, rect)
    for (let ty = i32(rect, 1); ty < i32(rect, 3); ty++)
      for (let tx = i32(rect, 0); tx < i32(rect, 2); tx++) {
        const t = ty * cam.tilesX + tx
        tileList[i32(cursor, t)] = i
        cursor[t] = i32(cursor, t) + 1
      }
  }
  return { tileOffsets, tileList }
}
