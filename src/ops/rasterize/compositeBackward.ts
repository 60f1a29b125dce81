/**
 * Backward of composite.ts for one tile: each pixel replays its Gaussians back
 * to front from its last contributor, recovering T_k = T_{k+1} / (1 - alpha_k)
 * from the final transmittance. With B = sum_{j>k} c_j alpha_j T_j + T_N bg:
 * dC/dc_k = alpha_k T_k, dC/dalpha_k = T_k c_k - B / (1 - alpha_k),
 * d(1 - T_N)/dalpha_k = T_N / (1 - alpha_k). alpha capped at 0.99 has no gradient.
 */
import type { CameraSetup } from "./camera.ts"
import { smoothAlpha, smoothAlphaDerivative } from "./constants.ts"
import { blockList, blockSize, f32AlphaMax, f32AlphaMin, L, localStride, pixelStride, PX, tileBounds } from "./composite.ts"
import { G, splatGradStride } from "./gaussians.ts"
import { f32, f64, i32 } from "./typed.ts"


export interface PixelGrads {
  /** (H, W, 3) */
  readonly image: Float32Array
  /** (H, W) */
  readonly alpha: Float32Array
  /** (H, W), or empty when the depth output was not requested. */
  readonly depth: Float32Array
}

const add = (a: Float64Array, i: number, v: number): void => {
  a[i] = f64(a, i) + v
}

/** Replay one pixel back to front, adding into localGrads (per tile-list position). */
const pixelBackward = (cam: CameraSetup, local: Float32Array, sub: Int32Array, x: number, y: number, pixels: Float32Array, grads: PixelGrads, localGrads: Float64Array): void => {
  const pixel = y * cam.width + x
  const q = pixel * pixelStride
  const count = f32(pixels, q + PX.count)
  if (count === 0) return
  const smooth = cam.smooth
  const finalT = f32(pixels, q + PX.transmittance)
  const dR = f32(grads.image, pixel * 3)
  const dG = f32(grads.image, pixel * 3 + 1)
  const dB = f32(grads.image, pixel * 3 + 2)
  const dA = f32(grads.alpha, pixel)
  const dD = grads.depth.length === 0 ? 0 : f32(grads.depth, pixel)
  const px = x + 0.5
  const py = y + 0.5
  let T = finalT
  let behind = finalT * (cam.background[0] * dR + cam.background[1] * dG + cam.background[2] * dB)
  let behindDepth = 0
  for (let j = count - 1; j >= 0; j--) {
    const k = i32(sub, j)
    const o = k * localStride
    const dx = f32(local, o + L.mx) - px
    const dy = f32(local, o + L.my) - py
    const ca = f32(local, o + L.conicA)
    const cb = f32(local, o + L.conicB)
    const cc = f32(local, o + L.conicC)
    const power = 0.5 * (ca * dx * dx + cc * dy * dy) + cb * dx * dy
    if (power < 0 || power > f32(local, o + L.cutoff)) continue
    const gaussian = Math.exp(-power)
    const raw = f32(local, o + L.opacity) * gaussian
    const alpha = smooth ? smoothAlpha(raw) : Math.fround(Math.min(f32AlphaMax, raw))
    if (smooth ? alpha === 0 : alpha < f32AlphaMin) continue
    const oneMinus = 1 - alpha
    T = T / oneMinus
    const w = alpha * T
    const colourDot = f32(local, o + L.colour) * dR + f32(local, o + L.colour + 1) * dG + f32(local, o + L.colour + 2) * dB
    const z = f32(local, o + L.depth)
    const dAlpha = T * colourDot - behind / oneMinus + dD * (T * z - behindDepth / oneMinus) + (dA * finalT) / oneMinus
    behind += colourDot * w
    behindDepth += z * w
    const lg = k * splatGradStride
    add(localGrads, lg + G.colour, w * dR)
    add(localGrads, lg + G.colour + 1, w * dG)
    add(localGrads, lg + G.colour + 2, w * dB)
    add(localGrads, lg + G.depth, w * dD)
    const dRaw = smooth ? dAlpha * smoothAlphaDerivative(raw) : raw >= f32AlphaMax ? 0 : dAlpha
    if (dRaw === 0) continue
    add(localGrads, lg + G.opacity, dRaw * gaussian)
    const dPower = -dRaw * raw
    add(localGrads, lg + G.mx, dPower * (ca * dx + cb * dy))
    add(localGrads, lg + G.my, dPower * (cc * dy + cb * dx))
    add(localGrads, lg + G.conicA, dPower * 0.5 * dx * dx)
    add(localGrads, lg + G.conicB, dPower * dx * dy)
    add(localGrads, lg + G.conicC, dPower * 0.5 * dy * dy)
  }
}

/** Accumulate the splat gradients of tile t's Gaussians into `localGrads` (zeroed here). `sub` and `bounds` are scratch. */
export const compositeTileBackward = (
  cam: CameraSetup,
  local: Float32Array,
  length: number,
  t: number,
  pixels: Float32Array,
  grads: PixelGrads,
  localGrads: Float64Array,
  sub: Int32Array,
  bounds: Int32Array
): void => {
  localGrads.fill(0, 0, length * splatGradStride)
  tileBounds(cam, t, bounds)
  const [x0, y0, x1, y1] = [i32(bounds, 0), i32(bounds, 1), i32(bounds, 2), i32(bounds, 3)]
  for (let by = y0; by < y1; by += blockSize)
    for (let bx = x0; bx < x1; bx += blockSize) {
      const bx1 = Math.min(x1, bx + blockSize)
      const by1 = Math.min(y1, by + blockSize)
      blockList(local, length, bx, by, bx1, by1, sub)
      for (let y = by; y < by1; y++) for (let x = bx; x < bx1; x++) pixelBackward(cam, local, sub, x, y, pixels, grads, localGrads)
    }
}
