/**
 * Axis-angle helpers on plain numbers: composition through 3x3 matrices
 * (row-major), the log map back to axis-angle, and the angle between two rotations.
 */
import { rodrigues64 } from "../ops/bodyForward/bodyForward.ref.ts"

export { rodrigues64 as axisAngleToMatrix }

export const mul33 = (a: ArrayLike<number>, b: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(9)
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!
  return out
}

/** Rotation matrix -> axis-angle with angle in [0, pi]. */
export const matrixToAxisAngle = (m: ArrayLike<number>): [number, number, number] => {
  const cos = Math.min(1, Math.max(-1, (m[0]! + m[4]! + m[8]! - 1) / 2))
  const angle = Math.acos(cos)
  const skew: [number, number, number] = [(m[7]! - m[5]!) / 2, (m[2]! - m[6]!) / 2, (m[3]! - m[1]!) / 2]
  if (angle < 1e-6) return skew
  if (Math.PI - angle > 1e-3) {
    const s = angle / Math.sin(angle)
    return [skew[0] * s, skew[1] * s, skew[2] * s]
  }
  // Near pi: the axis from the symmetric part, R + I = 2 a a^T (up to O(pi - angle)), sign from the skew part.
  const d = [m[0]!, m[4]!, m[8]!]
  const k = d[0]! >= d[1]! && d[0]! >= d[2]! ? 0 : d[1]! >= d[2]! ? 1 : 2
  const col = [0, 1, 2].map((r) => (m[3 * r + k]! + (r === k ? 1 : 0)) / 2)
  const n = Math.hypot(col[0]!, col[1]!, col[2]!)
  let axis = col.map((x) => x / n)
  if (axis[0]! * skew[0] + axis[1]! * skew[1] + axis[2]! * skew[2] < 0) axis = axis.map((x) => -x)
  return [axis[0]! * angle, axis[1]! * angle, axis[2]! * angle]
}

/** The rotation a then b applied as b . a (b after a), in axis-angle. */
export const composeAxisAngle = (b: ArrayLike<number>, a: ArrayLike<number>): [number, number, number] =>
  matrixToAxisAngle(mul33(rodrigues64(b), rodrigues64(a)))

/** Angle (radians) of the rotation taking a to b. */
export const angleBetween = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const ra = rodrigues64(a)
  const rb = rodrigues64(b)
  let trace = 0
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) trace += ra[3 * r + c]! * rb[3 * r + c]!
  return Math.acos(Math.min(1, Math.max(-1, (trace - 1) / 2)))
}

/** The axis-angle vector of the same rotation as r (r + 2 pi k along its axis) nearest to `reference`. */
export const nearestEquivalent = (r: ArrayLike<number>, reference: ArrayLike<number>): [number, number, number] => {
  const angle = Math.hypot(r[0]!, r[1]!, r[2]!)
  if (angle < 1e-12) return [r[0]!, r[1]!, r[2]!]
  const a = [r[0]! / angle, r[1]! / angle, r[2]! / angle]
  const along = a[0]! * reference[0]! + a[1]! * reference[1]! + a[2]! * reference[2]!
  const k = Math.round((along - angle) / (2 * Math.PI))
  const best = angle + 2 * Math.PI * k
  return [a[0]! * best, a[1]! * best, a[2]! * best]
}
