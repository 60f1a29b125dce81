/**
 * Pinhole cameras in the convention of src/data: intrinsic K (3x3, row-major)
 * with pixel centres at integer coordinates (OpenCV), extrinsic (4x4, row-major)
 * world to camera, camera x right, y down, z forward. World: metres, y up, the
 * body faces +z.
 */

export type Vec3 = readonly [number, number, number]

export interface Camera {
  readonly width: number
  readonly height: number
  /** [9] row-major 3x3 */
  readonly intrinsic: Float64Array
  /** [16] row-major 4x4, world to camera */
  readonly extrinsic: Float64Array
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2])
  return [a[0] / n, a[1] / n, a[2] / n]
}

/** World-to-camera extrinsic of a camera at `eye` looking at `target`, with world `up` pointing up in the image. */
export const lookAt = (eye: Vec3, target: Vec3, up: Vec3 = [0, 1, 0]): Float64Array => {
  const forward = unit(sub(target, eye))
  const right = unit(cross(forward, up))
  const down = cross(forward, right)
  const rows = [right, down, forward]
  const out = new Float64Array(16)
  rows.forEach((r, i) => {
    out.set(r, 4 * i)
    out[4 * i + 3] = -(r[0] * eye[0] + r[1] * eye[1] + r[2] * eye[2])
  })
  out[15] = 1
  return out
}

/** Square-pixel intrinsic with the principal point at the image centre ((size - 1) / 2 with integer pixel centres). */
export const centredIntrinsic = (focal: number, width: number, height: number): Float64Array =>
  Float64Array.of(focal, 0, (width - 1) / 2, 0, focal, (height - 1) / 2, 0, 0, 1)

/**
 * The camera rendering `factor` times more pixels per axis over the same view
 * (inverse of src/data/image.ts downscaleIntrinsic): a centre u maps to factor * (u + 0.5) - 0.5.
 */
export const supersampled = (camera: Camera, factor: number): Camera => {
  const k = Float64Array.from(camera.intrinsic)
  k[0] = camera.intrinsic[0]! * factor
  k[1] = camera.intrinsic[1]! * factor
  k[2] = factor * (camera.intrinsic[2]! + 0.5) - 0.5
  k[4] = camera.intrinsic[4]! * factor
  k[5] = factor * (camera.intrinsic[5]! + 0.5) - 0.5
  return { width: camera.width * factor, height: camera.height * factor, intrinsic: k, extrinsic: camera.extrinsic }
}

/** World points [N, 3] -> screen [N, 3]: pixel x, pixel y, camera depth z. Writes into `out`. */
export const toScreen = (camera: Camera, points: Float64Array, out: Float64Array = new Float64Array(points.length)): Float64Array => {
  const e = camera.extrinsic
  const k = camera.intrinsic
  for (let p = 0; p < points.length / 3; p++) {
    const x = points[3 * p]!, y = points[3 * p + 1]!, z = points[3 * p + 2]!
    const cx = e[0]! * x + e[1]! * y + e[2]! * z + e[3]!
    const cy = e[4]! * x + e[5]! * y + e[6]! * z + e[7]!
    const cz = e[8]! * x + e[9]! * y + e[10]! * z + e[11]!
    out[3 * p] = (k[0]! * cx + k[1]! * cy) / cz + k[2]!
    out[3 * p + 1] = (k[4]! * cy) / cz + k[5]!
    out[3 * p + 2] = cz
  }
  return out
}
