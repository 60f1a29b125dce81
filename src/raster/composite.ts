/**
 * Front-to-back compositing of one 16x16 tile on the CPU.
 * Per pixel (centre (j + 0.5, i + 0.5)) and Gaussian k in depth order:
 * power = 0.5 (A dx^2 + C dy^2) + B dx dy, alpha = min(0.99, o exp(-power)),
 * skipped when power < 0 or alpha < 1/255; the pixel stops (without blending
 * k) once T (1 - alpha) <= 1e-4. colour += c alpha T, depth += z alpha T.
 * Alpha, 1 - alpha and T are rounded to float32 as the WGSL kernel computes them.
 * Pixels go in 4x4 blocks against the Gaussians whose footprint touches the block.
 * In smooth mode alpha = smoothAlpha(o exp(-power)) and there is no early stop.
 */
import type { CameraSetup } from "./camera.ts"
import { alphaMax, alphaMin, smoothAlpha, tileSize, transmittanceMin } from "./constants.ts"
import type { GaussianArrays } from "./gaussians.ts"
import { P, projectedStride } from "./gaussians.ts"
import type { TileBins } from "./tiles.ts"
import { f32, i32 } from "./typed.ts"

/** Per-pixel outputs, `pixelStride` floats: colour (3), alpha, depth, final T, length of the (block) list up to the last contributor. */
export const pixelStride = 7
export const PX = { colour: 0, alpha: 3, depth: 4, transmittance: 5, count: 6 } as const

/** A tile's Gaussians gathered contiguously, `localStride` floats each. */
export const localStride = 13
export const L = { mx: 0, my: 1, conicA: 2, conicB: 3, conicC: 4, opacity: 5, colour: 6, depth: 9, cutoff: 10, radiusX: 11, radiusY: 12 } as const

/**
 * Beyond this power o exp(-power) < 1/255, so the pair is skipped without
 * calling exp; the margin leaves the exact decision to the alpha test.
 */
export const powerCutoff = (opacity: number): number => Math.log(opacity / alphaMin) + 1e-3

export const f32AlphaMin = Math.fround(alphaMin)
export const f32AlphaMax = Math.fround(alphaMax)
export const f32TransmittanceMin = Math.fround(transmittanceMin)


export const maxTileLength = (bins: TileBins): number => {
  let most = 0
  for (let t = 0; t + 1 < bins.tileOffsets.length; t++) most = Math.max(most, i32(bins.tileOffsets, t + 1) - i32(bins.tileOffsets, t))
  return most
}

const opaqueCutoff = powerCutoff(1)

/** What compositing reads of the inputs: opacities (N, or empty for 1) and colours (N, 3). */
export type Appearance = Pick<GaussianArrays, "opacities" | "colours">

/** Copy the Gaussians of tile t into `local`; returns their count. */
export const gatherTile = (g: Appearance, projected: Float32Array, bins: TileBins, t: number, local: Float32Array): number => {
  const start = i32(bins.tileOffsets, t)
  const length = i32(bins.tileOffsets, t + 1) - start
  for (let k = 0; k < length; k++) {
    const i = i32(bins.tileList, start + k)
    const o = k * localStride
    const p = i * projectedStride
    local[o + L.mx] = f32(projected, p + P.mx)
    local[o + L.my] = f32(projected, p + P.my)
    local[o + L.conicA] = f32(projected, p + P.conicA)
    local[o + L.conicB] = f32(projected, p + P.conicB)
    local[o + L.conicC] = f32(projected, p + P.conicC)
    const opacity = g.opacities.length === 0 ? 1 : f32(g.opacities, i)
    local[o + L.opacity] = opacity
    local[o + L.cutoff] = g.opacities.length === 0 ? opaqueCutoff : powerCutoff(opacity)
    for (let c = 0; c < 3; c++) local[o + L.colour + c] = f32(g.colours, i * 3 + c)
    local[o + L.depth] = f32(projected, p + P.depth)
    local[o + L.radiusX] = f32(projected, p + P.radiusX)
    local[o + L.radiusY] = f32(projected, p + P.radiusY)
  }
  return length
}

/** Pixels are composited in blocks of blockSize x blockSize, each against the part of the tile list whose footprint touches it. */
export const blockSize = 4

/**
 * Positions k (in order) of the tile's Gaussians whose footprint rectangle
 * (centre +- radius) contains a pixel centre of the block [x0, x1) x [y0, y1).
 * The others have alpha < 1/255 on the whole block (opacity <= 1). Returns the count.
 */
export const blockList = (local: Float32Array, length: number, x0: number, y0: number, x1: number, y1: number, sub: Int32Array): number => {
  let m = 0
  for (let k = 0; k < length; k++) {
    const o = k * localStride
    const mx = f32(local, o + L.mx)
    const my = f32(local, o + L.my)
    const rx = f32(local, o + L.radiusX)
    const ry = f32(local, o + L.radiusY)
    if (mx + rx < x0 + 0.5 || mx - rx > x1 - 0.5 || my + ry < y0 + 0.5 || my - ry > y1 - 0.5) continue
    sub[m++] = k
  }
  return m
}

/** Scratch of the compositing loops, allocated once per call: see tileScratch. */
export interface TileScratch {
  /** The current tile's Gaussians, localStride floats each. */
  readonly local: Float32Array
  /** The current block's list (positions in `local`). */
  readonly sub: Int32Array
  readonly bounds: Int32Array
  /** Per pixel of the block, stateStride floats of backward state (compositeBackward.ts). */
  readonly state: Float64Array
  /** Per pixel of the block: list length up to the last contributor. */
  readonly counts: Int32Array
}

/** Floats of per-pixel backward state (compositeBackward.ts BS). */
export const stateStride = 9

export const tileScratch = (longest: number): TileScratch => ({
  local: new Float32Array(Math.max(1, longest) * localStride),
  sub: new Int32Array(Math.max(1, longest)),
  bounds: new Int32Array(4),
  state: new Float64Array(blockSize * blockSize * stateStride),
  counts: new Int32Array(blockSize * blockSize)
})

/** Composite one pixel against the block list; returns the number of pairs evaluated. */
const compositePixel = (cam: CameraSetup, local: Float32Array, sub: Int32Array, m: number, x: number, y: number, pixels: Float32Array): number => {
  const px = x + 0.5
  const py = y + 0.5
  const smooth = cam.smooth
  let T = 1
  let r = 0
  let gr = 0
  let b = 0
  let depth = 0
  let count = 0
  let j = 0
  for (; j < m; j++) {
    const o = i32(sub, j) * localStride
    const dx = f32(local, o + L.mx) - px
    const dy = f32(local, o + L.my) - py
    const power = 0.5 * (f32(local, o + L.conicA) * dx * dx + f32(local, o + L.conicC) * dy * dy) + f32(local, o + L.conicB) * dx * dy
    if (power < 0 || power > f32(local, o + L.cutoff)) continue
    const raw = f32(local, o + L.opacity) * Math.exp(-power)
    const alpha = smooth ? smoothAlpha(raw) : Math.fround(Math.min(f32AlphaMax, raw))
    if (smooth ? alpha === 0 : alpha < f32AlphaMin) continue
    const nextT = smooth ? T * (1 - alpha) : Math.fround(T * Math.fround(1 - alpha))
    if (!smooth && nextT <= f32TransmittanceMin) break
    const w = alpha * T
    r += f32(local, o + L.colour) * w
    gr += f32(local, o + L.colour + 1) * w
    b += f32(local, o + L.colour + 2) * w
    depth += f32(local, o + L.depth) * w
    T = nextT
    count = j + 1
  }
  const q = (y * cam.width + x) * pixelStride
  pixels[q + PX.colour] = r + T * cam.background[0]
  pixels[q + PX.colour + 1] = gr + T * cam.background[1]
  pixels[q + PX.colour + 2] = b + T * cam.background[2]
  pixels[q + PX.alpha] = 1 - T
  pixels[q + PX.depth] = depth
  pixels[q + PX.transmittance] = T
  pixels[q + PX.count] = count
  return Math.min(j + 1, m)
}

/** Pixel rectangle [x0, x1) x [y0, y1) of tile t. */
export const tileBounds = (cam: CameraSetup, t: number, bounds: Int32Array): void => {
  bounds[0] = (t % cam.tilesX) * tileSize
  bounds[1] = Math.floor(t / cam.tilesX) * tileSize
  bounds[2] = Math.min(cam.width, i32(bounds, 0) + tileSize)
  bounds[3] = Math.min(cam.height, i32(bounds, 1) + tileSize)
}

/** Composite tile t (its Gaussians already in s.local) into `pixels`; returns the number of Gaussian-pixel pairs evaluated. */
export const compositeTile = (cam: CameraSetup, s: TileScratch, length: number, t: number, pixels: Float32Array): number => {
  tileBounds(cam, t, s.bounds)
  const [x0, y0, x1, y1] = [i32(s.bounds, 0), i32(s.bounds, 1), i32(s.bounds, 2), i32(s.bounds, 3)]
  let pairs = 0
  for (let by = y0; by < y1; by += blockSize)
    for (let bx = x0; bx < x1; bx += blockSize) {
      const bx1 = Math.min(x1, bx + blockSize)
      const by1 = Math.min(y1, by + blockSize)
      const m = blockList(s.local, length, bx, by, bx1, by1, s.sub)
      for (let y = by; y < by1; y++) for (let x = bx; x < bx1; x++) pairs += compositePixel(cam, s.local, s.sub, m, x, y, pixels)
    }
  return pairs
}
