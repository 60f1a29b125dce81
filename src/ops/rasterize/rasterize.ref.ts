/**
 * Float64 brute-force reference of the rasteriser: every pixel composites
 * every kept Gaussian in (depth, index) order. No tiles, no radius culling
 * (the 3.33-sigma footprint is conservative for alpha >= 1/255 when
 * opacity <= 1, so the result is the same). The alpha clamp, 1 - alpha, the
 * transmittance update and both thresholds are rounded to float32 (Math.fround)
 * so that threshold decisions agree with float32 kernels: two stacked opaque
 * Gaussians give T = 9.99998e-5 in float32 (a stop) but just above 1e-4 in float64.
 */
import { mul33, transpose33 } from "../../math/matrix.ts"
import { quaternionToMatrix } from "../../math/quaternion.ts"
import type { F64, Reference } from "../contract.ts"
import { alphaMax, alphaMin, determinantFloor, dilation, jacobianMargin, smoothAlpha, transmittanceMin } from "../../raster/constants.ts"
import type { RasterizeAttrs } from "./spec.ts"

/** A row-major 3x3 matrix. */
type Mat3 = Float64Array

const at = (a: ArrayLike<number>, i: number): number => a[i] as number

/** A projected Gaussian of the reference. */
export interface Splat {
  readonly index: number
  readonly mx: number
  readonly my: number
  /** Conic (inverse 2D covariance): A, B, C. */
  readonly conic: readonly [number, number, number]
  readonly z: number
  readonly opacity: number
}

const value = (x: F64, i: number): number => x.data[i] as number

/** Float64 projection of Gaussian i; undefined when it is outside near..far. */
export const projectOne = (inputs: RasterInputs, i: number, cam: RasterizeAttrs): Splat | undefined => {
  const m = cam.worldToCamera
  const p = [0, 1, 2].map((k) => value(inputs.means, i * 3 + k)) as [number, number, number]
  const t = [0, 1, 2].map((r) => (m[r * 4] as number) * p[0] + (m[r * 4 + 1] as number) * p[1] + (m[r * 4 + 2] as number) * p[2] + (m[r * 4 + 3] as number))
  const [tx, ty, tz] = t as [number, number, number]
  if (!(tz > cam.near && tz < cam.far)) return undefined
  const sd = inputs.scales.shape[1] as number
  const s = [0, 1, 2].map((k) => value(inputs.scales, i * sd + (sd === 1 ? 0 : k)))
  const rotations = inputs.rotations
  const q = rotations ? quaternionToMatrix(...([0, 1, 2, 3].map((k) => value(rotations, i * 4 + k)) as [number, number, number, number])) : quaternionToMatrix(1, 0, 0, 0)
  const scaled: Mat3 = q.map((v, k) => v * at(s, k % 3))
  const cov3 = mul33(scaled, transpose33(scaled))
  const rot: Mat3 = Float64Array.from([0, 1, 2, 4, 5, 6, 8, 9, 10], (k) => at(m, k))
  const covCam = mul33(mul33(rot, cov3), transpose33(rot))
  const limXPos = (cam.width - cam.cx) / cam.fx + (jacobianMargin * cam.width) / cam.fx
  const limXNeg = cam.cx / cam.fx + (jacobianMargin * cam.width) / cam.fx
  const limYPos = (cam.height - cam.cy) / cam.fy + (jacobianMargin * cam.height) / cam.fy
  const limYNeg = cam.cy / cam.fy + (jacobianMargin * cam.height) / cam.fy
  const u = Math.min(limXPos, Math.max(-limXNeg, tx / tz))
  const v = Math.min(limYPos, Math.max(-limYNeg, ty / tz))
  // J = [[fx/z, 0, -fx u / z], [0, fy/z, -fy v / z]]
  const jac = [cam.fx / tz, 0, (-cam.fx * u) / tz, 0, cam.fy / tz, (-cam.fy * v) / tz]
  const cov2 = [0, 0, 0, 0]
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 2; b++)
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) cov2[a * 2 + b] = at(cov2, a * 2 + b) + at(jac, a * 3 + k) * at(covCam, k * 3 + l) * at(jac, b * 3 + l)
  const a = (cov2[0] as number) + dilation
  const b = cov2[1] as number
  const c = (cov2[3] as number) + dilation
  const det = Math.max(a * c - b * b, determinantFloor)
  const opacity = inputs.opacities ? value(inputs.opacities, i) : 1
  return { index: i, mx: (cam.fx * tx) / tz + cam.cx, my: (cam.fy * ty) / tz + cam.cy, conic: [c / det, -b / det, a / det], z: tz, opacity }
}

/** Rotations only for anisotropic Gaussians, opacities only when learned (the attributes' modes). */
export type RasterInputs = { readonly [K in "means" | "scales" | "colours"]: F64 } & { readonly [K in "rotations" | "opacities"]?: F64 }

const f32 = Math.fround

export const rasterizeReference: Reference<"means" | "scales" | "colours", "image" | "alpha" | "depth", RasterizeAttrs, "rotations" | "opacities"> = {
  forward: (inputs, cam) => {
    const n = inputs.means.shape[0] as number
    const splats: Splat[] = []
    for (let i = 0; i < n; i++) {
      const s = projectOne(inputs, i, cam)
      if (s) splats.push(s)
    }
    // Depth order as the float32 kernels see it: equal float32 depths keep index order.
    splats.sort((p, q) => f32(p.z) - f32(q.z) || p.index - q.index)
    const { width, height } = cam
    const image = new Float64Array(width * height * 3)
    const alpha = new Float64Array(width * height)
    const depth = new Float64Array(cam.withDepth ? width * height : 0)
    for (let row = 0; row < height; row++)
      for (let col = 0; col < width; col++) {
        const px = col + 0.5
        const py = row + 0.5
        let T = 1
        const rgb = [0, 0, 0]
        let d = 0
        for (const s of splats) {
          const dx = s.mx - px
          const dy = s.my - py
          const power = 0.5 * (s.conic[0] * dx * dx + s.conic[2] * dy * dy) + s.conic[1] * dx * dy
          if (power < 0) continue
          const raw = s.opacity * Math.exp(-power)
          const a = cam.smooth ? smoothAlpha(raw) : f32(Math.min(alphaMax, raw))
          if (cam.smooth ? a === 0 : a < f32(alphaMin)) continue
          const nextT = cam.smooth ? T * (1 - a) : f32(T * f32(1 - a))
          if (!cam.smooth && nextT <= f32(transmittanceMin)) break
          for (let k = 0; k < 3; k++) rgb[k] = at(rgb, k) + value(inputs.colours, s.index * 3 + k) * a * T
          d += s.z * a * T
          T = nextT
        }
        const pixel = row * width + col
        for (let k = 0; k < 3; k++) image[pixel * 3 + k] = (rgb[k] as number) + T * (cam.background[k] as number)
        alpha[pixel] = 1 - T
        if (cam.withDepth) depth[pixel] = d
      }
    return {
      image: { shape: [height, width, 3], data: image },
      alpha: { shape: [height, width], data: alpha },
      depth: { shape: cam.withDepth ? [height, width] : [0], data: depth }
    }
  }
}
