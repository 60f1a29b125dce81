/**
 * A probe of `bench -- prepare`: could the camera's focal length come from the clip itself? A 1-D
 * search over the field of view, from the landmarks prepare.json records. For a candidate focal length f, each frame's 3D landmarks W_k
 * (BlazePose's metric estimate: camera axes, origin between the hips) are placed at the translation
 * t that best reprojects them onto that frame's 2D landmarks u_k (score-weighted least squares,
 * Gauss-Newton on t from a closed-form start):
 *   r_f = min_t sum_k s_k |pi_f(W_k + t) - u_k|^2 / sum_k s_k,   pi_f(p) = (f p_x / p_z + c_x, f p_y / p_z + c_y).
 * A person's image fixes only f / t_z to first order; what tells f apart is perspective: points
 * nearer the camera (W_z < 0) look larger by t_z / (t_z + W_z), and t_z grows with f. The clip's
 * score is the mean over frames of r_f (px^2); the estimate is the best field of view on a grid
 * (every degree from 20 to 100 over the longer side), refined by a parabola through its neighbours.
 * Landmarks scoring below MIN_SCORE are left out; a frame with fewer than 8 left counts for nothing.
 * Measured on the synthetic clip it is far off (see the README): BlazePose's 3D landmarks fit its 2D
 * ones best seen almost orthographically, so prepare does not use it.
 */
import type { Pinhole } from "../src/prepare/init.ts"

export const MIN_SCORE = 0.5
const MIN_POINTS = 8
const FOV_GRID = { from: 20, to: 100, step: 1 } as const

export interface FocalEstimate {
  /** Focal length in pixels of the frames the landmarks are in. */
  readonly focal: number
  /** Field of view over the longer side, degrees. */
  readonly fovDegrees: number
  /** Frames that took part. */
  readonly frames: number
  /** [fov degrees, mean residual px^2] over the grid, for prepare.json. */
  readonly curve: ReadonlyArray<readonly [number, number]>
}

interface Frame2D3D {
  /** [33 * 3] x, y, score */
  readonly landmarks: Float32Array
  /** [33 * 3] metres */
  readonly world: Float32Array
}

interface Points {
  readonly u: Float64Array
  readonly v: Float64Array
  readonly x: Float64Array
  readonly y: Float64Array
  readonly z: Float64Array
  readonly s: Float64Array
}

const pointsOf = (frame: Frame2D3D): Points | undefined => {
  const keep: number[] = []
  for (let k = 0; k < frame.landmarks.length / 3; k++) if (frame.landmarks[3 * k + 2]! >= MIN_SCORE) keep.push(k)
  if (keep.length < MIN_POINTS) return undefined
  const pick = (a: Float32Array, c: number) => Float64Array.from(keep, (k) => a[3 * k + c]!)
  return { u: pick(frame.landmarks, 0), v: pick(frame.landmarks, 1), s: pick(frame.landmarks, 2), x: pick(frame.world, 0), y: pick(frame.world, 1), z: pick(frame.world, 2) }
}

const weightedMean = (a: Float64Array, s: Float64Array): number => a.reduce((sum, x, i) => sum + s[i]! * x, 0) / s.reduce((sum, x) => sum + x, 0)

/** Solves the symmetric 3x3 system A t = b (Cramer); undefined when singular. */
const solve3 = (a: Float64Array, b: readonly [number, number, number]): [number, number, number] | undefined => {
  const det = (m: ArrayLike<number>) => m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  const d = det(a)
  if (!(Math.abs(d) > 1e-300)) return undefined
  const column = (c: number) => {
    const m = Float64Array.from(a)
    for (let r = 0; r < 3; r++) m[3 * r + c] = b[r]!
    return det(m) / d
  }
  return [column(0), column(1), column(2)]
}

/** Mean weighted squared reprojection error (px^2) of the points placed at their best translation for focal f. */
const frameResidual = (p: Points, camera: Pinhole, f: number): number => {
  const mu = weightedMean(p.u, p.s), mv = weightedMean(p.v, p.s), mx = weightedMean(p.x, p.s), my = weightedMean(p.y, p.s)
  const spread2d = Math.sqrt(weightedMean(p.u.map((u, i) => (u - mu) ** 2 + (p.v[i]! - mv) ** 2), p.s))
  const spread3d = Math.sqrt(weightedMean(p.x.map((x, i) => (x - mx) ** 2 + (p.y[i]! - my) ** 2), p.s))
  const tz0 = (f * spread3d) / Math.max(spread2d, 1e-6)
  let t: [number, number, number] = [((mu - camera.cx) * tz0) / f - mx, ((mv - camera.cy) * tz0) / f - my, tz0]
  const residual = (t: readonly [number, number, number]) => {
    let sum = 0
    for (let i = 0; i < p.u.length; i++) {
      const z = p.z[i]! + t[2]
      if (z <= 1e-3) return Infinity
      sum += p.s[i]! * (((f * (p.x[i]! + t[0])) / z + camera.cx - p.u[i]!) ** 2 + ((f * (p.y[i]! + t[1])) / z + camera.cy - p.v[i]!) ** 2)
    }
    return sum
  }
  let current = residual(t)
  for (let iteration = 0; iteration < 12; iteration++) {
    const jtj = new Float64Array(9)
    const jtr: [number, number, number] = [0, 0, 0]
    for (let i = 0; i < p.u.length; i++) {
      const z = p.z[i]! + t[2], X = p.x[i]! + t[0], Y = p.y[i]! + t[1], s = p.s[i]!
      const rows: ReadonlyArray<readonly [readonly [number, number, number], number]> = [
        [[f / z, 0, (-f * X) / (z * z)], (f * X) / z + camera.cx - p.u[i]!],
        [[0, f / z, (-f * Y) / (z * z)], (f * Y) / z + camera.cy - p.v[i]!]
      ]
      for (const [j, r] of rows)
        for (let a = 0; a < 3; a++) {
          jtr[a] = jtr[a]! + s * j[a]! * r
          for (let b = 0; b < 3; b++) jtj[3 * a + b]! += s * j[a]! * j[b]!
        }
    }
    const step = solve3(jtj, jtr)
    if (!step) break
    const next: [number, number, number] = [t[0] - step[0], t[1] - step[1], t[2] - step[2]]
    const value = residual(next)
    if (!(value < current)) break
    const done = current - value < 1e-9 * current
    ;[t, current] = [next, value]
    if (done) break
  }
  return current / p.s.reduce((a, b) => a + b, 0)
}

/** The focal length that best explains the 2D landmarks as perspective views of the 3D ones, or undefined when fewer than two frames show enough landmarks. */
export const estimateFocal = (frames: ReadonlyArray<Frame2D3D>, width: number, height: number): FocalEstimate | undefined => {
  const points = frames.flatMap((f) => pointsOf(f) ?? [])
  if (points.length < 2) return undefined
  const side = Math.max(width, height)
  const camera = { fx: 1, fy: 1, cx: (width - 1) / 2, cy: (height - 1) / 2 }
  const focalOfFov = (deg: number) => side / 2 / Math.tan((deg * Math.PI) / 360)
  const curve: Array<readonly [number, number]> = []
  for (let deg = FOV_GRID.from; deg <= FOV_GRID.to; deg += FOV_GRID.step) {
    const f = focalOfFov(deg)
    curve.push([deg, points.reduce((sum, p) => sum + frameResidual(p, camera, f), 0) / points.length])
  }
  const best = curve.reduce((b, c, i) => (c[1] < curve[b]![1] ? i : b), 0)
  let fovDegrees = curve[best]![0]
  if (best > 0 && best < curve.length - 1) {
    const [a, b, c] = [curve[best - 1]![1], curve[best]![1], curve[best + 1]![1]]
    const curvature = a - 2 * b + c
    if (curvature > 0) fovDegrees += (FOV_GRID.step * (a - c)) / (2 * curvature)
  }
  return { focal: focalOfFov(fovDegrees), fovDegrees, frames: points.length, curve }
}
