/**
 * Backward of composite.ts for one tile: each pixel replays its Gaussians back
 * to front from its last contributor, recovering T_k = T_{k+1} / (1 - alpha_k)
 * from the final transmittance. With B = sum_{j>k} c_j alpha_j T_j + T_N bg:
 * dC/dc_k = alpha_k T_k, dC/dalpha_k = T_k c_k - B / (1 - alpha_k),
 * d(1 - T_N)/dalpha_k = T_N / (1 - alpha_k). alpha capped at 0.99 has no gradient.
 * As in the forward, a 4x4 block goes one Gaussian at a time over its pixels,
 * so each Gaussian's gradient is summed over the block before it is stored.
 */
import type { CameraSetup } from "./camera.ts"
import { smoothAlpha, smoothAlphaDerivative } from "./constants.ts"
import type { TileScratch } from "./composite.ts"
import { blockList, blockSize, f32AlphaMax, f32AlphaMin, L, localStride, pixelStride, PX, stateStride, tileBounds } from "./composite.ts"
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

/** Per-pixel backward state: T, colour and depth behind, the output gradients, final T. */
const BS = { T: 0, behind: 1, behindDepth: 2, dR: 3, dG: 4, dB: 5, dA: 6, dD: 7, finalT: 8 } as const

/** Load the block's pixels into s.state and s.counts; returns the longest count. */
const loadBlock = (cam: CameraSetup, s: TileScratch, bx: number, by: number, w: number, np: number, pixels: Float32Array, grads: PixelGrads): number => {
  let longest = 0
  for (let p = 0; p < np; p++) {
    const pixel = (by + Math.floor(p / w)) * cam.width + bx + (p % w)
    const q = p * stateStride
    const count = f32(pixels, pixel * pixelStride + PX.count)
    const finalT = f32(pixels, pixel * pixelStride + PX.transmittance)
    const dR = f32(grads.image, pixel * 3)
    const dG = f32(grads.image, pixel * 3 + 1)
    const dB = f32(grads.image, pixel * 3 + 2)
    s.counts[p] = count
    longest = Math.max(longest, count)
    s.state[q + BS.T] = finalT
    s.state[q + BS.finalT] = finalT
    s.state[q + BS.behind] = finalT * (cam.background[0] * dR + cam.background[1] * dG + cam.background[2] * dB)
    s.state[q + BS.behindDepth] = 0
    s.state[q + BS.dR] = dR
    s.state[q + BS.dG] = dG
    s.state[q + BS.dB] = dB
    s.state[q + BS.dA] = f32(grads.alpha, pixel)
    s.state[q + BS.dD] = grads.depth.length === 0 ? 0 : f32(grads.depth, pixel)
  }
  return longest
}

const add = (a: Float64Array, i: number, v: number): void => {
  a[i] = f64(a, i) + v
}

/** Replay the block [bx, bx1) x [by, by1) back to front, adding into localGrads (per tile-list position). */
const blockBackward = (cam: CameraSetup, s: TileScratch, bx: number, by: number, bx1: number, by1: number, pixels: Float32Array, grads: PixelGrads, localGrads: Float64Array): void => {
  const { local, sub, state, counts } = s
  const w = bx1 - bx
  const np = w * (by1 - by)
  const smooth = cam.smooth
  const longest = loadBlock(cam, s, bx, by, w, np, pixels, grads)
  for (let j = longest - 1; j >= 0; j--) {
    const k = i32(sub, j)
    const o = k * localStride
    const mx = f32(local, o + L.mx)
    const my = f32(local, o + L.my)
    const ca = f32(local, o + L.conicA)
    const cb = f32(local, o + L.conicB)
    const cc = f32(local, o + L.conicC)
    const cutoff = f32(local, o + L.cutoff)
    const opacity = f32(local, o + L.opacity)
    const cr = f32(local, o + L.colour)
    const cg = f32(local, o + L.colour + 1)
    const cbl = f32(local, o + L.colour + 2)
    const z = f32(local, o + L.depth)
    let gMx = 0
    let gMy = 0
    let gA = 0
    let gB = 0
    let gC = 0
    let gOpacity = 0
    let gR = 0
    let gG = 0
    let gBl = 0
    let gZ = 0
    for (let p = 0; p < np; p++) {
      if (j >= i32(counts, p)) continue
      const dx = mx - (bx + (p % w) + 0.5)
      const dy = my - (by + Math.floor(p / w) + 0.5)
      const power = 0.5 * (ca * dx * dx + cc * dy * dy) + cb * dx * dy
      if (power < 0 || power > cutoff) continue
      const gaussian = Math.exp(-power)
      const raw = opacity * gaussian
      const alpha = smooth ? smoothAlpha(raw) : Math.fround(Math.min(f32AlphaMax, raw))
      if (smooth ? alpha === 0 : alpha < f32AlphaMin) continue
      const q = p * stateStride
      const oneMinus = 1 - alpha
      const T = f64(state, q + BS.T) / oneMinus
      const weight = alpha * T
      const dR = f64(state, q + BS.dR)
      const dG = f64(state, q + BS.dG)
      const dB = f64(state, q + BS.dB)
      const dD = f64(state, q + BS.dD)
      const colourDot = cr * dR + cg * dG + cbl * dB
      const behind = f64(state, q + BS.behind)
      const behindDepth = f64(state, q + BS.behindDepth)
      const dAlpha = T * colourDot - behind / oneMinus + dD * (T * z - behindDepth / oneMinus) + (f64(state, q + BS.dA) * f64(state, q + BS.finalT)) / oneMinus
      state[q + BS.T] = T
      state[q + BS.behind] = behind + colourDot * weight
      state[q + BS.behindDepth] = behindDepth + z * weight
      gR += weight * dR
      gG += weight * dG
      gBl += weight * dB
      gZ += weight * dD
      const dRaw = smooth ? dAlpha * smoothAlphaDerivative(raw) : raw >= f32AlphaMax ? 0 : dAlpha
      gOpacity += dRaw * gaussian
      const dPower = -dRaw * raw
      gMx += dPower * (ca * dx + cb * dy)
      gMy += dPower * (cc * dy + cb * dx)
      gA += dPower * 0.5 * dx * dx
      gB += dPower * dx * dy
      gC += dPower * 0.5 * dy * dy
    }
    const lg = k * splatGradStride
    add(localGrads, lg + G.mx, gMx)
    add(localGrads, lg + G.my, gMy)
    add(localGrads, lg + G.conicA, gA)
    add(localGrads, lg + G.conicB, gB)
    add(localGrads, lg + G.conicC, gC)
    add(localGrads, lg + G.depth, gZ)
    add(localGrads, lg + G.opacity, gOpacity)
    add(localGrads, lg + G.colour, gR)
    add(localGrads, lg + G.colour + 1, gG)
    add(localGrads, lg + G.colour + 2, gBl)
  }
}

/** Accumulate the splat gradients of tile t's Gaussians (already in s.local) into `localGrads` (zeroed here). */
export const compositeTileBackward = (cam: CameraSetup, s: TileScratch, length: number, t: number, pixels: Float32Array, grads: PixelGrads, localGrads: Float64Array): void => {
  localGrads.fill(0, 0, length * splatGradStride)
  tileBounds(cam, t, s.bounds)
  const [x0, y0, x1, y1] = [i32(s.bounds, 0), i32(s.bounds, 1), i32(s.bounds, 2), i32(s.bounds, 3)]
  for (let by = y0; by < y1; by += blockSize)
    for (let bx = x0; bx < x1; bx += blockSize) {
      const bx1 = Math.min(x1, bx + blockSize)
      const by1 = Math.min(y1, by + blockSize)
      blockList(s.local, length, bx, by, bx1, by1, s.sub)
      blockBackward(cam, s, bx, by, bx1, by1, pixels, grads, localGrads)
    }
}
