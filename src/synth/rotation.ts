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

/** The transpose of a row-major 3x3 matrix (the inverse of a rotation). */
export const transpose33 = (m: ArrayLike<number>): Float64Array => Float64Array.from([0, 3, 6, 1, 4, 7, 2, 5, 8], (k) => m[k] as number)

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
  // Near pi: from the symmetric part, (R + R^T) / 2 = cos I + (1 - cos) a a^T, exactly; the sign from the skew part.
  const k = m[0]! >= m[4]! && m[0]! >= m[8]! ? 0 : m[4]! >= m[8]! ? 1 : 2
  const col = [0, 1, 2].map((r) => ((m[3 * r + k]! + m[3 * k + r]!) / 2 - (r === k ? cos : 0)) / (1 - cos))
  const n = Math.hypot(col[0]!, col[1]!, col[2]!)
  const sign = col[0]! * skew[0] + col[1]! * skew[1] + col[2]! * skew[2] < 0 ? -1 : 1
  return [(sign * col[0]! * angle) / n, (sign * col[1]! * angle) / n, (sign * col[2]! * angle) / n]
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

/** Of the axis-angle vectors a (angle + 2 pi k), k in -1..1, of the same rotation as r, the one nearest to `reference`. */
export const nearestEquivalent = (r: ArrayLike<number>, reference: ArrayLike<number>): [number, number, number] => {
  const angle = Math.hypot(r[0]!, r[1]!, r[2]!)
  let best: [number, number, number] = [r[0]!, r[1]!, r[2]!]
  if (angle < 1e-12) return best
  let bestDistance = Infinity
  for (const k of [-1, 0, 1]) {
    const s = (angle + 2 * Math.PI * k) / angle
    const candidate: [number, number, number] = [r[0]! * s, r[1]! * s, r[2]! * s]
    const distance = Math.hypot(candidate[0] - reference[0]!, candidate[1] - reference[1]!, candidate[2] - reference[2]!)
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  return best
}
