/**
 * Backward of composite.ts for one tile: each pixel replays its Gaussians back
 * to front from its last contributor, recovering T_k = T_{k+1} / (1 - alpha_k)
 * from the final transmittance. With B = sum_{j>k} c_j alpha_j T_j + T_N bg:
 * dC/dc_k = alpha_k T_k, dC/dalpha_k = T_k c_k - B / (1 - alpha_k),
 * d(1 - T_N)/dalpha_k = T_N / (1 - alpha_k). alpha capped at 0.99 has no gradient.
 */
import type { CameraSetup } from "./camera.ts"
import { smoothAlpha, smoothAlphaDerivative, tileSize } from "./constants.ts"
import { f32AlphaMax, f32AlphaMin, L, localStride, pixelStride, PX } from "./composite.ts"
import { G, splatGradStride } from "./gaussians.ts"

const at = (a: ArrayLike<number>, i: number): number => a[i] as number

export interface PixelGrads {
  /** (H, W, 3) */
  readonly image: Float32Array
  /** (H, W) */
  readonly alpha: Float32Array
  /** (H, W), or empty when the depth output was not requested. */
  readonly depth: Float32Array
}

/** Accumulate the splat gradients of tile t's Gaussians into `localGrads` (zeroed here). */
export const compositeTileBackward = (cam: CameraSetup, local: Float32Array, length: number, t: number, pixels: Float32Array, grads: PixelGrads, localGrads: Float64Array): void => {
  localGrads.fill(0, 0, length * splatGradStride)
  const x0 = (t % cam.tilesX) * tileSize
  const y0 = Math.floor(t / cam.tilesX) * tileSize
  const x1 = Math.min(cam.width, x0 + tileSize)
  const y1 = Math.min(cam.height, y0 + tileSize)
  const smooth = cam.smooth
  const [bgR, bgG, bgB] = cam.background
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const pixel = y * cam.width + x
      const q = pixel * pixelStride
      const count = at(pixels, q + PX.count)
      if (count === 0) continue
      const finalT = at(pixels, q + PX.transmittance)
      const dR = at(grads.image, pixel * 3)
      const dG = at(grads.image, pixel * 3 + 1)
      const dB = at(grads.image, pixel * 3 + 2)
      const dA = at(grads.alpha, pixel)
      const dD = grads.depth.length === 0 ? 0 : at(grads.depth, pixel)
      const px = x + 0.5
      const py = y + 0.5
      let T = finalT
      let behind = finalT * (bgR * dR + bgG * dG + bgB * dB)
      let behindDepth = 0
      for (let k = count - 1; k >= 0; k--) {
        const o = k * localStride
        const dx = at(local, o + L.mx) - px
        const dy = at(local, o + L.my) - py
        const ca = at(local, o + L.conicA)
        const cb = at(local, o + L.conicB)
        const cc = at(local, o + L.conicC)
        const power = 0.5 * (ca * dx * dx + cc * dy * dy) + cb * dx * dy
        if (power < 0) continue
        const opacity = at(local, o + L.opacity)
        const gaussian = Math.exp(-power)
        const raw = opacity * gaussian
        const alpha = smooth ? smoothAlpha(raw) : Math.fround(Math.min(f32AlphaMax, raw))
        if (smooth ? alpha === 0 : alpha < f32AlphaMin) continue
        const oneMinus = 1 - alpha
        T = T / oneMinus
        const w = alpha * T
        const colourDot = at(local, o + L.colour) * dR + at(local, o + L.colour + 1) * dG + at(local, o + L.colour + 2) * dB
        const z = at(local, o + L.depth)
        const dAlpha = T * colourDot - behind / oneMinus + dD * (T * z - behindDepth / oneMinus) + (dA * finalT) / oneMinus
        behind += colourDot * w
        behindDepth += z * w
        const lg = k * splatGradStride
        localGrads[lg + G.colour] = at(localGrads, lg + G.colour) + w * dR
        localGrads[lg + G.colour + 1] = at(localGrads, lg + G.colour + 1) + w * dG
        localGrads[lg + G.colour + 2] = at(localGrads, lg + G.colour + 2) + w * dB
        localGrads[lg + G.depth] = at(localGrads, lg + G.depth) + w * dD
        const dRaw = smooth ? dAlpha * smoothAlphaDerivative(raw) : raw >= f32AlphaMax ? 0 : dAlpha
        if (dRaw === 0) continue
        localGrads[lg + G.opacity] = at(localGrads, lg + G.opacity) + dRaw * gaussian
        const dPower = -dRaw * raw
        localGrads[lg + G.mx] = at(localGrads, lg + G.mx) + dPower * (ca * dx + cb * dy)
        localGrads[lg + G.my] = at(localGrads, lg + G.my) + dPower * (cc * dy + cb * dx)
        localGrads[lg + G.conicA] = at(localGrads, lg + G.conicA) + dPower * 0.5 * dx * dx
        localGrads[lg + G.conicB] = at(localGrads, lg + G.conicB) + dPower * dx * dy
        localGrads[lg + G.conicC] = at(localGrads, lg + G.conicC) + dPower * 0.5 * dy * dy
      }
    }
}
