/** Float64 reference of skinRotations: per sample and point, plain 3x3 arithmetic (row-major arrays of 9). */
import type { F64, Reference } from "../contract.ts"
import { polarSteps } from "./spec.ts"

type M3 = number[]

const mul = (a: M3, b: M3): M3 => Array.from({ length: 9 }, (_, k) => {
  const r = Math.floor(k / 3)
  const c = k % 3
  return a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!
})

/** Cofactor matrix: the inverse transpose times the determinant. */
const cofactor = (m: M3): M3 => {
  const at = (r: number, c: number) => m[3 * (r % 3) + (c % 3)]!
  return Array.from({ length: 9 }, (_, k) => {
    const r = Math.floor(k / 3)
    const c = k % 3
    return at(r + 1, c + 1) * at(r + 2, c + 2) - at(r + 1, c + 2) * at(r + 2, c + 1)
  })
}

const polar = (m: M3): M3 => {
  let u = m
  for (let s = 0; s < polarSteps; s++) {
    const cof = cofactor(u)
    const det = u[0]! * cof[0]! + u[1]! * cof[1]! + u[2]! * cof[2]!
    u = u.map((v, k) => (v + cof[k]! / det) / 2)
  }
  return u
}

const fromQuaternion = (w0: number, x0: number, y0: number, z0: number): M3 => {
  const n = Math.hypot(w0, x0, y0, z0)
  const [w, x, y, z] = [w0 / n, x0 / n, y0 / n, z0 / n]
  return [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y), 2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x), 2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]
}

/** Shepperd's method on the largest of (trace, m00, m11, m22); then w >= 0 and unit length. */
const toQuaternion = (m: M3): [number, number, number, number] => {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m as [number, number, number, number, number, number, number, number, number]
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

export const skinRotationsReference: Reference<"rotations" | "weights" | "transforms" | "matrix", "out", Record<string, never>> = {
  forward: ({ rotations, weights, transforms, matrix }) => {
    const [b, j] = transforms.shape as [number, number, number, number]
    const n = rotations.shape[0] as number
    const camera: M3 = Array.from({ length: 9 }, (_, k) => matrix.data[4 * Math.floor(k / 3) + (k % 3)]!)
    const out: F64 = { shape: [b, n, 4], data: new Float64Array(b * n * 4) }
    for (let s = 0; s < b; s++)
      for (let p = 0; p < n; p++) {
        const blended: M3 = Array.from({ length: 9 }, (_, k) => {
          let sum = 0
          for (let i = 0; i < j; i++) sum += weights.data[p * j + i]! * transforms.data[(s * j + i) * 16 + 4 * Math.floor(k / 3) + (k % 3)]!
          return sum
        })
        const q = rotations.data.subarray(4 * p, 4 * p + 4)
        const oriented = mul(polar(mul(camera, blended)), fromQuaternion(q[0]!, q[1]!, q[2]!, q[3]!))
        out.data.set(toQuaternion(oriented), (s * n + p) * 4)
      }
    return { out }
  }
}
