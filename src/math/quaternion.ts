/** Unit quaternions (w, x, y, z) and row-major 3x3 rotation matrices, in float64. */

/** Rotation matrix of the quaternion (w, x, y, z), normalised first. */
export const quaternionToMatrix = (w0: number, x0: number, y0: number, z0: number): Float64Array => {
  const n = Math.hypot(w0, x0, y0, z0)
  const [w, x, y, z] = [w0 / n, x0 / n, y0 / n, z0 / n]
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)
  )
}

/** Shepperd's method on the largest of (trace, m00, m11, m22); then w >= 0 and unit length. */
export const matrixToQuaternion = (m: ArrayLike<number>): [number, number, number, number] => {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = Array.from(m) as [number, number, number, number, number, number, number, number, number]
  const trace = m00 + m11 + m22
  const largest = Math.max(trace, m00, m11, m22)
  let q: [number, number, number, number]
  if (largest === trace) {
    const s = 2 * Math.sqrt(1 + trace)
    q = [s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s]
  } else if (largest === m00) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22)
    q = [(m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s]
  } else if (largest === m11) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22)
    q = [(m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s]
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11)
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4]
  }
  const n = Math.hypot(...q) * (q[0] < 0 ? -1 : 1)
  return q.map((v) => v / n) as [number, number, number, number]
}
