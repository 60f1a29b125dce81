/** Float64 reference of skinRotations: per sample and point, plain 3x3 arithmetic (row-major arrays of 9). */
import { mul33 } from "../../math/matrix.ts"
import { matrixToQuaternion, quaternionToMatrix } from "../../math/quaternion.ts"
import type { F64, Reference } from "../contract.ts"
import { polarSteps } from "./spec.ts"

type M3 = ArrayLike<number>

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
    u = Array.from(u, (v, k) => (v + cof[k]! / det) / 2)
  }
  return u
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
        const oriented = mul33(polar(mul33(camera, blended)), quaternionToMatrix(q[0]!, q[1]!, q[2]!, q[3]!))
        out.data.set(matrixToQuaternion(oriented), (s * n + p) * 4)
      }
    return { out }
  }
}
