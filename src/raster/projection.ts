/**
 * EWA projection of 3D Gaussians, forward and backward, one Gaussian at a time.
 * t = R p + T (camera space), Sigma3 = M M^T with M = R(q) diag(s),
 * Sigma2 = J R Sigma3 R^T J^T + 0.3 I with J the perspective Jacobian at
 * (x/z, y/z) clamped to the image plus 15%, conic = Sigma2^-1,
 * centre (fx x/z + cx, fy y/z + cy), radius ceil(3.33 sqrt(Sigma2_ii)).
 * Not differentiable: at the Jacobian clamp (kink), at near/far and
 * off-screen culling (jump). The radius is piecewise constant.
 */
import type { CameraSetup } from "./camera.ts"
import { determinantFloor, dilation, radiusSigmas } from "./constants.ts"
import type { GaussianArrays } from "./gaussians.ts"
import { P, projectedStride } from "./gaussians.ts"
import { f32, f64 } from "./typed.ts"

/** Scratch for one Gaussian: qn (4), Rq (9), M (9), Sigma3 (9), SigmaCam (9), s (3). */
const Q = 0
const RQ = 4
const MM = 13
const S3 = 22
const SC = 31
const SS = 40
export const projectionScratchSize = 43
export const scratch = { q: Q, rq: RQ, m: MM, sigma3: S3, sc: SC, s: SS } as const


/** Isotropic fast path: Sigma3 = SigmaCam = s^2 I whatever the rotation (only s and SigmaCam are filled). */
const isotropicCovariance = (s: number, w: Float64Array): void => {
  w.fill(0, SC, SC + 9)
  w[SC] = s * s
  w[SC + 4] = s * s
  w[SC + 8] = s * s
  w.fill(s, SS, SS + 3)
}

/** Fill the scratch with the quaternion, rotation, M, Sigma3 and camera-space Sigma of Gaussian i. */
export const covariances = (g: GaussianArrays, i: number, cam: CameraSetup, w: Float64Array): void => {
  if (g.scaleDims === 1) {
    isotropicCovariance(f32(g.scales, i), w)
    return
  }
  let qw = 1
  let qx = 0
  let qy = 0
  let qz = 0
  if (g.rotations.length !== 0) {
    qw = f32(g.rotations, i * 4)
    qx = f32(g.rotations, i * 4 + 1)
    qy = f32(g.rotations, i * 4 + 2)
    qz = f32(g.rotations, i * 4 + 3)
    const n = Math.hypot(qw, qx, qy, qz)
    qw /= n
    qx /= n
    qy /= n
    qz /= n
  }
  w[Q] = qw
  w[Q + 1] = qx
  w[Q + 2] = qy
  w[Q + 3] = qz
  w[RQ] = 1 - 2 * (qy * qy + qz * qz)
  w[RQ + 1] = 2 * (qx * qy - qw * qz)
  w[RQ + 2] = 2 * (qx * qz + qw * qy)
  w[RQ + 3] = 2 * (qx * qy + qw * qz)
  w[RQ + 4] = 1 - 2 * (qx * qx + qz * qz)
  w[RQ + 5] = 2 * (qy * qz - qw * qx)
  w[RQ + 6] = 2 * (qx * qz - qw * qy)
  w[RQ + 7] = 2 * (qy * qz + qw * qx)
  w[RQ + 8] = 1 - 2 * (qx * qx + qy * qy)
  for (let k = 0; k < 3; k++) w[SS + k] = f32(g.scales, i * 3 + k)
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) w[MM + r * 3 + c] = f64(w, RQ + r * 3 + c) * f64(w, SS + c)
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) w[S3 + r * 3 + c] = f64(w, MM + r * 3) * f64(w, MM + c * 3) + f64(w, MM + r * 3 + 1) * f64(w, MM + c * 3 + 1) + f64(w, MM + r * 3 + 2) * f64(w, MM + c * 3 + 2)
  // SigmaCam = R Sigma3 R^T
  const R = cam.rotation
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      let s = 0
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += f64(R, r * 3 + k) * f64(w, S3 + k * 3 + l) * f64(R, c * 3 + l)
      w[SC + r * 3 + c] = s
    }
}

export const cameraPoint = (g: GaussianArrays, i: number, cam: CameraSetup, axis: number): number => {
  const R = cam.rotation
  return f64(R, axis * 3) * f32(g.means, i * 3) + f64(R, axis * 3 + 1) * f32(g.means, i * 3 + 1) + f64(R, axis * 3 + 2) * f32(g.means, i * 3 + 2) + f64(cam.translation, axis)
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))

/** Project every Gaussian into `out` (N * projectedStride floats). */
export const projectGaussians = (g: GaussianArrays, cam: CameraSetup, out: Float32Array): void => {
  const w = new Float64Array(projectionScratchSize)
  for (let i = 0; i < g.count; i++) {
    const o = i * projectedStride
    out.fill(0, o, o + projectedStride)
    const tx = cameraPoint(g, i, cam, 0)
    const ty = cameraPoint(g, i, cam, 1)
    const tz = cameraPoint(g, i, cam, 2)
    if (!(tz > cam.near && tz < cam.far)) continue
    covariances(g, i, cam, w)
    const u = clamp(tx / tz, -cam.limXNeg, cam.limXPos)
    const v = clamp(ty / tz, -cam.limYNeg, cam.limYPos)
    const j00 = cam.fx / tz
    const j02 = (-cam.fx * u) / tz
    const j11 = cam.fy / tz
    const j12 = (-cam.fy * v) / tz
    const s00 = f64(w, SC)
    const s01 = f64(w, SC + 1)
    const s02 = f64(w, SC + 2)
    const s11 = f64(w, SC + 4)
    const s12 = f64(w, SC + 5)
    const s22 = f64(w, SC + 8)
    const a = j00 * j00 * s00 + 2 * j00 * j02 * s02 + j02 * j02 * s22 + dilation
    const b = j00 * j11 * s01 + j00 * j12 * s02 + j02 * j11 * s12 + j02 * j12 * s22
    const c = j11 * j11 * s11 + 2 * j11 * j12 * s12 + j12 * j12 * s22 + dilation
    const det = Math.max(a * c - b * b, determinantFloor)
    const mx = (cam.fx * tx) / tz + cam.cx
    const my = (cam.fy * ty) / tz + cam.cy
    const rx = Math.ceil(radiusSigmas * Math.sqrt(a))
    const ry = Math.ceil(radiusSigmas * Math.sqrt(c))
    if (mx + rx <= 0 || mx - rx >= cam.width || my + ry <= 0 || my - ry >= cam.height) continue
    out[o + P.mx] = mx
    out[o + P.my] = my
    out[o + P.conicA] = c / det
    out[o + P.conicB] = -b / det
    out[o + P.conicC] = a / det
    out[o + P.depth] = tz
    out[o + P.radiusX] = rx
    out[o + P.radiusY] = ry
  }
}
