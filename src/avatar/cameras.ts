/**
 * Cameras for rendering a trained avatar: the training camera moved on an orbit about a pivot
 * (the subject), and intrinsics rescaled to another image size. Extrinsics are world to camera,
 * 4x4 row-major, OpenCV axes (x right, y down, z forward).
 */

type Mat3 = [number, number, number, number, number, number, number, number, number]

/** Rotation by `radians` about the unit axis `a` (Rodrigues), row-major. */
const axisRotation = (a: readonly [number, number, number], radians: number): Mat3 => {
  const [x, y, z] = a
  const c = Math.cos(radians)
  const s = Math.sin(radians)
  const t = 1 - c
  return [t * x * x + c, t * x * y - s * z, t * x * z + s * y, t * x * y + s * z, t * y * y + c, t * y * z - s * x, t * x * z - s * y, t * y * z + s * x, t * z * z + c]
}

const at = (m: ArrayLike<number>, i: number): number => m[i] as number

/**
 * The camera `extrinsic` moved by `degrees` on a circle about the camera's own vertical axis through
 * `pivot` (world coordinates): the subject is seen from the side after 90 degrees, from behind after 180.
 */
export const orbitExtrinsic = (extrinsic: ArrayLike<number>, pivot: ArrayLike<number>, degrees: number): Float64Array => {
  const R: Mat3 = [0, 1, 2, 4, 5, 6, 8, 9, 10].map((i) => at(extrinsic, i)) as Mat3
  const t = [3, 7, 11].map((i) => at(extrinsic, i))
  // The camera's up (-y) in world coordinates is minus R's second row.
  const up: [number, number, number] = [-R[3], -R[4], -R[5]]
  const norm = Math.hypot(...up) || 1
  const Q = axisRotation([up[0] / norm, up[1] / norm, up[2] / norm], (degrees * Math.PI) / 180)
  const centre = [0, 1, 2].map((j) => -(at(R, j) * at(t, 0) + at(R, 3 + j) * at(t, 1) + at(R, 6 + j) * at(t, 2)))
  const d = [0, 1, 2].map((j) => at(centre, j) - at(pivot, j))
  const moved = [0, 1, 2].map((i) => at(pivot, i) + at(Q, 3 * i) * at(d, 0) + at(Q, 3 * i + 1) * at(d, 1) + at(Q, 3 * i + 2) * at(d, 2))
  // R' = R Q^T keeps what the camera sees of a world rotated with it; t' = -R' c'.
  const rotated = Array.from({ length: 9 }, (_, k) => {
    const i = Math.floor(k / 3)
    const j = k % 3
    return at(R, 3 * i) * at(Q, 3 * j) + at(R, 3 * i + 1) * at(Q, 3 * j + 1) + at(R, 3 * i + 2) * at(Q, 3 * j + 2)
  })
  const out = new Float64Array(16)
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[4 * i + j] = at(rotated, 3 * i + j)
    out[4 * i + 3] = -(at(rotated, 3 * i) * at(moved, 0) + at(rotated, 3 * i + 1) * at(moved, 1) + at(rotated, 3 * i + 2) * at(moved, 2))
  }
  out[15] = 1
  return out
}

/** Intrinsics (3x3 row-major, OpenCV) of an image `from` pixels scaled to `to` pixels, per axis. */
export const scaleIntrinsic = (intrinsic: ArrayLike<number>, from: { readonly width: number; readonly height: number }, to: { readonly width: number; readonly height: number }): Float64Array => {
  const sx = to.width / from.width
  const sy = to.height / from.height
  const k = Float64Array.from(intrinsic)
  // Pixel centres at integers: x' = sx (x + 0.5) - 0.5.
  k[0] = at(intrinsic, 0) * sx
  k[1] = at(intrinsic, 1) * sx
  k[2] = sx * (at(intrinsic, 2) + 0.5) - 0.5
  k[4] = at(intrinsic, 4) * sy
  k[5] = sy * (at(intrinsic, 5) + 0.5) - 0.5
  return k
}
