/**
 * Axis-angle helpers on plain numbers: composition through 3x3 matrices
 * (row-major), the log map back to axis-angle, and the angle between two rotations.
 */
import { mul33 } from "./matrix.ts"

/** Rodrigues in float64: r (3 numbers at `at`) -> row-major 3x3. Series below t^2 = 1e-6. */
export const axisAngleToMatrix = (r: ArrayLike<number>, at = 0): Float64Array => {
  const x = r[at]!, y = r[at + 1]!, z = r[at + 2]!
  const t2 = x * x + y * y + z * z
  let a: number, b: number
  if (t2 < 1e-6) {
    a = 1 - t2 / 6 + (t2 * t2) / 120
    b = 0.5 - t2 / 24 + (t2 * t2) / 720
  } else {
    const t = Math.sqrt(t2)
    a = Math.sin(t) / t
    b = (2 * Math.sin(t / 2) ** 2) / t2
  }
  const c = 1 - b * t2
  return Float64Array.of(
    c + b * x * x, -a * z + b * x * y, a * y + b * x * z,
    a * z + b * y * x, c + b * y * y, -a * x + b * y * z,
    -a * y + b * z * x, a * x + b * z * y, c + b * z * z
  )
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
  // Near pi: from the symmetric part, (R + R^T) / 2 = cos I + (1 - cos) a a^T, exactly; the sign from the skew part.
  const k = m[0]! >= m[4]! && m[0]! >= m[8]! ? 0 : m[4]! >= m[8]! ? 1 : 2
  const col = [0, 1, 2].map((r) => ((m[3 * r + k]! + m[3 * k + r]!) / 2 - (r === k ? cos : 0)) / (1 - cos))
  const n = Math.hypot(col[0]!, col[1]!, col[2]!)
  const sign = col[0]! * skew[0] + col[1]! * skew[1] + col[2]! * skew[2] < 0 ? -1 : 1
  return [(sign * col[0]! * angle) / n, (sign * col[1]! * angle) / n, (sign * col[2]! * angle) / n]
}

/** The rotation a then b applied as b . a (b after a), in axis-angle. */
export const composeAxisAngle = (b: ArrayLike<number>, a: ArrayLike<number>): [number, number, number] =>
  matrixToAxisAngle(mul33(axisAngleToMatrix(b), axisAngleToMatrix(a)))

/** Angle (radians) of the rotation taking a to b. */
export const angleBetween = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const ra = axisAngleToMatrix(a)
  const rb = axisAngleToMatrix(b)
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

/**
 * Of all axis-angle vectors of the rotation r (its unit axis a times angle + 2 pi k, any integer k),
 * the one nearest to `reference`: k = round((a . reference - angle) / 2 pi). A sequence made
 * continuous this way (each frame's rotation nearest to the previous frame's) turns past pi without
 * jumping, e.g. a person turning a full circle.
 */
export const unwrapAxisAngle = (r: ArrayLike<number>, reference: ArrayLike<number>): [number, number, number] => {
  const angle = Math.hypot(r[0]!, r[1]!, r[2]!)
  if (angle < 1e-12) {
    // The identity: 2 pi k about any axis; the reference's axis and the k nearest to it.
    const length = Math.hypot(reference[0]!, reference[1]!, reference[2]!)
    const turns = Math.round(length / (2 * Math.PI))
    return turns === 0 ? [r[0]!, r[1]!, r[2]!] : [0, 1, 2].map((c) => (reference[c]! / length) * 2 * Math.PI * turns) as [number, number, number]
  }
  const axis = [r[0]! / angle, r[1]! / angle, r[2]! / angle] as const
  const along = axis[0] * reference[0]! + axis[1] * reference[1]! + axis[2] * reference[2]!
  const unwrapped = angle + 2 * Math.PI * Math.round((along - angle) / (2 * Math.PI))
  return [axis[0] * unwrapped, axis[1] * unwrapped, axis[2] * unwrapped]
}
