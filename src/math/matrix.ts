/** Small-matrix math on plain numbers: row-major 3x3 products and transposes, rigid 4x4 inverses. */

/** a . b for row-major 3x3 matrices. */
export const mul33 = (a: ArrayLike<number>, b: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(9)
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!
  return out
}

/** m . v for a row-major 3x3 matrix and a 3-vector. */
export const mulVec33 = (m: ArrayLike<number>, v: ArrayLike<number>): [number, number, number] => [
  m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!,
  m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!,
  m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!
]

/** The transpose of a row-major 3x3 matrix (the inverse of a rotation). */
export const transpose33 = (m: ArrayLike<number>): Float64Array => Float64Array.from([0, 3, 6, 1, 4, 7, 2, 5, 8], (k) => m[k] as number)

/** Inverse of a rigid row-major 4x4 (read at offset `at`): [R^T | -R^T t]. */
export const invertRigid = (m: ArrayLike<number>, at = 0): Float64Array => {
  const out = new Float64Array(16)
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[4 * r + c] = m[at + 4 * c + r]!
    out[4 * r + 3] = -(m[at + r]! * m[at + 3]! + m[at + 4 + r]! * m[at + 7]! + m[at + 8 + r]! * m[at + 11]!)
  }
  out[15] = 1
  return out
}
