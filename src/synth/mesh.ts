/** Small mesh helpers on flat arrays: area-weighted vertex normals, the dominant joint of a weight row. */

/** [V, 3] unit normals of a mesh whose faces [F, 3] are counter-clockwise seen from outside. */
export const vertexNormals = (positions: Float64Array, faces: Uint32Array): Float64Array => {
  const normals = new Float64Array(positions.length)
  for (let f = 0; f < faces.length / 3; f++) {
    const a = faces[3 * f]!, b = faces[3 * f + 1]!, c = faces[3 * f + 2]!
    const e1x = positions[3 * b]! - positions[3 * a]!, e1y = positions[3 * b + 1]! - positions[3 * a + 1]!, e1z = positions[3 * b + 2]! - positions[3 * a + 2]!
    const e2x = positions[3 * c]! - positions[3 * a]!, e2y = positions[3 * c + 1]! - positions[3 * a + 1]!, e2z = positions[3 * c + 2]! - positions[3 * a + 2]!
    const nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x
    for (const v of [a, b, c]) {
      normals[3 * v]! += nx
      normals[3 * v + 1]! += ny
      normals[3 * v + 2]! += nz
    }
  }
  for (let v = 0; v < normals.length / 3; v++) {
    const n = Math.hypot(normals[3 * v]!, normals[3 * v + 1]!, normals[3 * v + 2]!) || 1
    for (let c = 0; c < 3; c++) normals[3 * v + c]! /= n
  }
  return normals
}

/** Index of the largest of `count` numbers starting at `at`. */
export const argmax = (values: ArrayLike<number>, at: number, count: number): number => {
  let best = 0
  for (let k = 1; k < count; k++) if (values[at + k]! > values[at + best]!) best = k
  return best
}
