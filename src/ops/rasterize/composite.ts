/**
 * Front-to-back compositing of one 16x16 tile on the CPU.
 * Per pixel (centre (j + 0.5, i + 0.5)) and Gaussian k in depth order:
 * power = 0.5 (A dx^2 + C dy^2) + B dx dy, alpha = min(0.99, o exp(-power)),
 * skipped when power < 0 or alpha < 1/255; the pixel stops (without blending
 * k) once T (1 - alpha) <= 1e-4. colour += c alpha T, depth += z alpha T.
 * Alpha, 1 - alpha and T are rounded to float32 as the WGSL kernel computes them.
 * In smooth mode alpha = smoothAlpha(o exp(-power)) and there is no early stop.
 */
import type { CameraSetup } from "./camera.ts"
import { alphaMax, alphaMin, smoothAlpha, tileSize, transmittanceMin } from "./constants.ts"
import type { GaussianArrays } from "./gaussians.ts"
import { P, projectedStride } from "./gaussians.ts"
import type { TileBins } from "./tiles.ts"

/** Per-pixel outputs, `pixelStride` floats: colour (3), alpha, depth, final T, list length up to the last contributor. */
export const pixelStride = 7
export const PX = { colour: 0, alpha: 3, depth: 4, transmittance: 5, count: 6 } as const

/** A tile's Gaussians gathered contiguously, `localStride` floats each. */
export const localStride = 10
export const L = { mx: 0, my: 1, conicA: 2, conicB: 3, conicC: 4, opacity: 5, colour: 6, depth: 9 } as const

export const f32AlphaMin = Math.fround(alphaMin)
export const f32AlphaMax = Math.fround(alphaMax)
export const f32TransmittanceMin = Math.fround(transmittanceMin)

const at = (a: ArrayLike<number>, i: number): number => a[i] as number

export const maxTileLength = (bins: TileBins): number => {
  let most = 0
  for (let t = 0; t + 1 < bins.tileOffsets.length; t++) most = Math.max(most, at(bins.tileOffsets, t + 1) - at(bins.tileOffsets, t))
  return most
}

/** Copy the Gaussians of tile t into `local`; returns their count. */
export const gatherTile = (g: GaussianArrays, projected: Float32Array, bins: TileBins, t: number, local: Float32Array): number => {
  const start = at(bins.tileOffsets, t)
  const length = at(bins.tileOffsets, t + 1) - start
  for (let k = 0; k < length; k++) {
    const i = at(bins.tileList, start + k)
    const o = k * localStride
    const p = i * projectedStride
    local[o + L.mx] = at(projected, p + P.mx)
    local[o + L.my] = at(projected, p + P.my)
    local[o + L.conicA] = at(projected, p + P.conicA)
    local[o + L.conicB] = at(projected, p + P.conicB)
    local[o + L.conicC] = at(projected, p + P.conicC)
    local[o + L.opacity] = g.opacities.length === 0 ? 1 : at(g.opacities, i)
    for (let c = 0; c < 3; c++) local[o + L.colour + c] = at(g.colours, i * 3 + c)
    local[o + L.depth] = at(projected, p + P.depth)
  }
  return length
}

/** Composite tile t into `pixels`; returns the number of Gaussian-pixel pairs evaluated. */
export const compositeTile = (cam: CameraSetup, local: Float32Array, length: number, t: number, pixels: Float32Array): number => {
  const x0 = (t % cam.tilesX) * tileSize
  const y0 = Math.floor(t / cam.tilesX) * tileSize
  const x1 = Math.min(cam.width, x0 + tileSize)
  const y1 = Math.min(cam.height, y0 + tileSize)
  const smooth = cam.smooth
  let pairs = 0
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const px = x + 0.5
      const py = y + 0.5
      let T = 1
      let r = 0
      let gr = 0
      let b = 0
      let depth = 0
      let count = 0
      let k = 0
      for (; k < length; k++) {
        const o = k * localStride
        const dx = at(local, o + L.mx) - px
        const dy = at(local, o + L.my) - py
        const power = 0.5 * (at(local, o + L.conicA) * dx * dx + at(local, o + L.conicC) * dy * dy) + at(local, o + L.conicB) * dx * dy
        if (power < 0) continue
        const raw = at(local, o + L.opacity) * Math.exp(-power)
        const alpha = smooth ? smoothAlpha(raw) : Math.fround(Math.min(f32AlphaMax, raw))
        if (smooth ? alpha === 0 : alpha < f32AlphaMin) continue
        const nextT = smooth ? T * (1 - alpha) : Math.fround(T * Math.fround(1 - alpha))
        if (!smooth && nextT <= f32TransmittanceMin) break
        const w = alpha * T
        r += at(local, o + L.colour) * w
        gr += at(local, o + L.colour + 1) * w
        b += at(local, o + L.colour + 2) * w
        depth += at(local, o + L.depth) * w
        T = nextT
        count = k + 1
      }
      pairs += Math.min(k + 1, length)
      const q = (y * cam.width + x) * pixelStride
      pixels[q + PX.colour] = r + T * cam.background[0]
      pixels[q + PX.colour + 1] = gr + T * cam.background[1]
      pixels[q + PX.colour + 2] = b + T * cam.background[2]
      pixels[q + PX.alpha] = 1 - T
      pixels[q + PX.depth] = depth
      pixels[q + PX.transmittance] = T
      pixels[q + PX.count] = count
    }
  return pairs
}
