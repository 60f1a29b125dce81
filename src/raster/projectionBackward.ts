/**
 * Backward of projection.ts for one Gaussian: from gradients on the 2D centre,
 * the conic and the depth to gradients on the world mean, scale and quaternion.
 * dSigma2 = -Q G Q (Q the conic, G its symmetric gradient); dSigmaCam = J^T dSigma2 J;
 * dJ = 2 dSigma2 J SigmaCam; dSigma3 = R^T dSigmaCam R; dM = 2 dSigma3 M;
 * the quaternion gradient goes through its normalisation.
 */
import type { CameraSetup } from "./camera.ts"
import { determinantFloor, dilation } from "./constants.ts"
import type { GaussianArrays, InputGrads } from "./gaussians.ts"
import { G, P, projectedStride, splatGradStride } from "./gaussians.ts"
import { cameraPoint, covariances, projectionScratchSize, scratch } from "./projection.ts"
import { f32, f64 } from "./typed.ts"


/** Extra scratch: dSigmaCam (9), dSigma3 (9), dM (9), dRq (9). */
const DSC = 0
const DS3 = 9
const DM = 18
const DRQ = 27

const quaternionGrad = (g: GaussianArrays, i: number, w: Float64Array, d: Float64Array, out: Float32Array): void => {
  const qw = f64(w, scratch.q)
  const qx = f64(w, scratch.q + 1)
  const qy = f64(w, scratch.q + 2)
  const qz = f64(w, scratch.q + 3)
  const r = (k: number): number => f64(d, DRQ + k)
  const dw = 2 * (-qz * r(1) + qy * r(2) + qz * r(3) - qx * r(5) - qy * r(6) + qx * r(7))
  const dx = 2 * (qy * r(1) + qz * r(2) + qy * r(3) - 2 * qx * r(4) - qw * r(5) + qz * r(6) + qw * r(7) - 2 * qx * r(8))
  const dy = 2 * (-2 * qy * r(0) + qx * r(1) + qw * r(2) + qx * r(3) + qz * r(5) - qw * r(6) + qz * r(7) - 2 * qy * r(8))
  const dz = 2 * (-2 * qz * r(0) - qw * r(1) + qx * r(2) + qw * r(3) - 2 * qz * r(4) + qy * r(5) + qx * r(6) + qy * r(7))
  const n = Math.hypot(f32(g.rotations, i * 4), f32(g.rotations, i * 4 + 1), f32(g.rotations, i * 4 + 2), f32(g.rotations, i * 4 + 3))
  const along = qw * dw + qx * dx + qy * dy + qz * dz
  out[i * 4] = (dw - qw * along) / n
  out[i * 4 + 1] = (dx - qx * along) / n
  out[i * 4 + 2] = (dy - qy * along) / n
  out[i * 4 + 3] = (dz - qz * along) / n
}

/** Chain dSigmaCam (in d) down to the scale and rotation gradients of Gaussian i. */
const covarianceGrad = (g: GaussianArrays, i: number, cam: CameraSetup, w: Float64Array, d: Float64Array, grads: InputGrads): void => {
  if (g.scaleDims === 1) {
    // SigmaCam = s^2 I: d/ds = 2 s trace(dSigmaCam); the rotation has no effect (its gradient stays 0).
    grads.scales[i] = 2 * f64(w, scratch.s) * (f64(d, DSC) + f64(d, DSC + 4) + f64(d, DSC + 8))
    return
  }
  const R = cam.rotation
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      let s = 0
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += f64(R, k * 3 + r) * f64(d, DSC + k * 3 + l) * f64(R, l * 3 + c)
      d[DS3 + r * 3 + c] = s
    }
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) d[DM + r * 3 + c] = 2 * (f64(d, DS3 + r * 3) * f64(w, scratch.m + c) + f64(d, DS3 + r * 3 + 1) * f64(w, scratch.m + 3 + c) + f64(d, DS3 + r * 3 + 2) * f64(w, scratch.m + 6 + c))
  for (let c = 0; c < 3; c++) {
    let ds = 0
    for (let r = 0; r < 3; r++) {
      ds += f64(d, DM + r * 3 + c) * f64(w, scratch.rq + r * 3 + c)
      d[DRQ + r * 3 + c] = f64(d, DM + r * 3 + c) * f64(w, scratch.s + c)
    }
    grads.scales[i * 3 + c] = ds
  }
  if (g.rotations.length !== 0) quaternionGrad(g, i, w, d, grads.rotations)
}

/** Accumulate the input gradients of every kept Gaussian from its splat gradients. */
export const projectionBackward = (g: GaussianArrays, cam: CameraSetup, projected: Float32Array, splatGrads: Float64Array, grads: InputGrads): void => {
  const w = new Float64Array(projectionScratchSize)
  const d = new Float64Array(36)
  for (let i = 0; i < g.count; i++) {
    if (f32(projected, i * projectedStride + P.radiusX) === 0) continue
    const sg = i * splatGradStride
    const R = cam.rotation
    const tx = cameraPoint(g, i, cam, 0)
    const ty = cameraPoint(g, i, cam, 1)
    const tz = cameraPoint(g, i, cam, 2)
    covariances(g, i, cam, w)
    const ux = tx / tz
    const vy = ty / tz
    const xClamped = ux < -cam.limXNeg || ux > cam.limXPos
    const yClamped = vy < -cam.limYNeg || vy > cam.limYPos
    const u = Math.min(cam.limXPos, Math.max(-cam.limXNeg, ux))
    const v = Math.min(cam.limYPos, Math.max(-cam.limYNeg, vy))
    const j00 = cam.fx / tz
    const j02 = (-cam.fx * u) / tz
    const j11 = cam.fy / tz
    const j12 = (-cam.fy * v) / tz
    const s00 = f64(w, scratch.sc)
    const s01 = f64(w, scratch.sc + 1)
    const s02 = f64(w, scratch.sc + 2)
    const s11 = f64(w, scratch.sc + 4)
    const s12 = f64(w, scratch.sc + 5)
    const s22 = f64(w, scratch.sc + 8)
    const a = j00 * j00 * s00 + 2 * j00 * j02 * s02 + j02 * j02 * s22 + dilation
    const b = j00 * j11 * s01 + j00 * j12 * s02 + j02 * j11 * s12 + j02 * j12 * s22
    const c = j11 * j11 * s11 + 2 * j11 * j12 * s12 + j12 * j12 * s22 + dilation
    const det = Math.max(a * c - b * b, determinantFloor)
    const qa = c / det
    const qb = -b / det
    const qc = a / det
    const ga = f64(splatGrads, sg + G.conicA)
    const gb = f64(splatGrads, sg + G.conicB) / 2
    const gc = f64(splatGrads, sg + G.conicC)
    // V = -Q G Q, symmetric
    const v00 = -(qa * (qa * ga + qb * gb) + qb * (qa * gb + qb * gc))
    const v01 = -(qa * (qb * ga + qc * gb) + qb * (qb * gb + qc * gc))
    const v11 = -(qb * (qb * ga + qc * gb) + qc * (qb * gb + qc * gc))
    // dSigmaCam = J^T V J with J = [[j00, 0, j02], [0, j11, j12]], written out
    const d02 = j00 * (v00 * j02 + v01 * j12)
    const d12 = j11 * (v01 * j02 + v11 * j12)
    d[DSC] = j00 * j00 * v00
    d[DSC + 1] = d[DSC + 3] = j00 * v01 * j11
    d[DSC + 2] = d[DSC + 6] = d02
    d[DSC + 4] = j11 * j11 * v11
    d[DSC + 5] = d[DSC + 7] = d12
    d[DSC + 8] = j02 * j02 * v00 + 2 * j02 * j12 * v01 + j12 * j12 * v11
    covarianceGrad(g, i, cam, w, d, grads)
    // dJ = 2 V (J SigmaCam); only the entries 00, 02, 11, 12 of J vary
    const js00 = j00 * s00 + j02 * s02
    const js02 = j00 * s02 + j02 * s22
    const js10 = j11 * s01 + j12 * s02
    const js11 = j11 * s11 + j12 * s12
    const js12 = j11 * s12 + j12 * s22
    const js01 = j00 * s01 + j02 * s12
    const dj00 = 2 * (v00 * js00 + v01 * js10)
    const dj02 = 2 * (v00 * js02 + v01 * js12)
    const dj11 = 2 * (v01 * js01 + v11 * js11)
    const dj12 = 2 * (v01 * js02 + v11 * js12)
    const gmx = f64(splatGrads, sg + G.mx)
    const gmy = f64(splatGrads, sg + G.my)
    let dtx = (gmx * cam.fx) / tz
    let dty = (gmy * cam.fy) / tz
    let dtz = -(gmx * cam.fx * tx + gmy * cam.fy * ty) / (tz * tz) + f64(splatGrads, sg + G.depth)
    dtz += (-dj00 * cam.fx - dj11 * cam.fy) / (tz * tz)
    if (xClamped) dtz += (dj02 * cam.fx * u) / (tz * tz)
    else {
      dtx += (-dj02 * cam.fx) / (tz * tz)
      dtz += (2 * dj02 * cam.fx * tx) / (tz * tz * tz)
    }
    if (yClamped) dtz += (dj12 * cam.fy * v) / (tz * tz)
    else {
      dty += (-dj12 * cam.fy) / (tz * tz)
      dtz += (2 * dj12 * cam.fy * ty) / (tz * tz * tz)
    }
    for (let k = 0; k < 3; k++) grads.means[i * 3 + k] = f64(R, k) * dtx + f64(R, 3 + k) * dty + f64(R, 6 + k) * dtz
    if (g.opacities.length !== 0) grads.opacities[i] = f64(splatGrads, sg + G.opacity)
    for (let k = 0; k < 3; k++) grads.colours[i * 3 + k] = f64(splatGrads, sg + G.colour + k)
  }
}
