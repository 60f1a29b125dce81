/**
 * skinRotations: out[b, n] = quat(U * R(q_n)) with U = polar(C * A_bn), A_bn = sum_j weights[n, j] transforms[b, j][:3, :3],
 * C = matrix[:3, :3] (world to camera), R(q) the rotation of the normalised quaternion q = rotations[n] (w, x, y, z),
 * polar(M) = the rotation factor of M by `polarSteps` Newton steps U <- (U + U^-T) / 2 (U^-T = cofactor(U) / det U),
 * quat(F) by Shepperd's method on the largest of (trace, F00, F11, F22), signed so that w >= 0, unit length.
 * Shapes: rotations [N, 4], weights [N, J], transforms [B, J, 4, 4], matrix [4, 4] -> out [B, N, 4].
 * Not differentiable where q = 0, det(C A) = 0 (a blend of opposite rotations), or w = 0 (the sign flips);
 * the Shepperd branches meet continuously (after the sign). tfjs derives the gradient: every 3x3 is nine
 * [B, N] tensors, parts are picked by constant matMuls (as lbs: slices are slow, and wrong, on wasm).
 * (Rows of 9 rearranged by constant [9, 9] matMuls take 4x fewer ops but ran 1.5-2.5x slower on wasm:
 * thin matMuls are slow there. Measured here, on a busy machine: 10k points 0.2-0.27 s forward + backward.)
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { polarSteps, skinRotationsSpec } from "./spec.ts"

type M3 = ReadonlyArray<tf.Tensor>

const oneHot = (width: number, k: number): Float32Array => Float32Array.from({ length: width }, (_, i) => (i === k ? 1 : 0))
/** A [width, 1] one-hot column picking entry k; a [1, width] row placing it. */
const pickColumn = (width: number, k: number): tf.Tensor2D => tf.tensor2d(oneHot(width, k), [width, 1])
const placeRow = (width: number, k: number): tf.Tensor2D => tf.tensor2d(oneHot(width, k), [1, width])

/** [16, 9]: the 3x3 part of a row-major 4x4. */
const rotationPick = (): tf.Tensor2D => {
  const pick = new Float32Array(16 * 9)
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) pick[(4 * r + c) * 9 + 3 * r + c] = 1
  return tf.tensor2d(pick, [16, 9])
}

/** The columns of x [rows, width] as `width` tensors of `shape`. */
const columns = (x: tf.Tensor, width: number, shape: number[]): tf.Tensor[] =>
  Array.from({ length: width }, (_, k) => tf.reshape(tf.matMul(x as tf.Tensor2D, pickColumn(width, k)), shape))

const mul = (a: M3, b: M3): M3 =>
  Array.from({ length: 9 }, (_, k) => {
    const r = Math.floor(k / 3)
    const c = k % 3
    return tf.addN([tf.mul(a[3 * r] as tf.Tensor, b[c] as tf.Tensor), tf.mul(a[3 * r + 1] as tf.Tensor, b[3 + c] as tf.Tensor), tf.mul(a[3 * r + 2] as tf.Tensor, b[6 + c] as tf.Tensor)])
  })

const cofactor = (m: M3): M3 => {
  const at = (r: number, c: number) => m[3 * (r % 3) + (c % 3)] as tf.Tensor
  return Array.from({ length: 9 }, (_, k) => {
    const r = Math.floor(k / 3)
    const c = k % 3
    return tf.sub(tf.mul(at(r + 1, c + 1), at(r + 2, c + 2)), tf.mul(at(r + 1, c + 2), at(r + 2, c + 1)))
  })
}

const polar = (m: M3): M3 => {
  let u = m
  for (let s = 0; s < polarSteps; s++) {
    const cof = cofactor(u)
    const det = tf.addN([0, 1, 2].map((k) => tf.mul(u[k] as tf.Tensor, cof[k] as tf.Tensor)))
    u = u.map((v, k) => tf.mul(tf.add(v, tf.div(cof[k] as tf.Tensor, det)), 0.5))
  }
  return u
}

const fromQuaternion = (q: ReadonlyArray<tf.Tensor>): M3 => {
  const norm = tf.sqrt(tf.addN(q.map((v) => tf.square(v))))
  const [w, x, y, z] = q.map((v) => tf.div(v, norm)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]
  const two = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, sign: number) => tf.mul(tf.add(tf.mul(a, b), tf.mul(tf.mul(c, d), sign)), 2)
  const diagonal = (a: tf.Tensor, b: tf.Tensor) => tf.sub(1, tf.mul(tf.add(tf.square(a), tf.square(b)), 2))
  return [diagonal(y, z), two(x, y, w, z, -1), two(x, z, w, y, 1), two(x, y, w, z, 1), diagonal(x, z), two(y, z, w, x, -1), two(x, z, w, y, -1), two(y, z, w, x, 1), diagonal(x, y)]
}

/** Shepperd's method; every branch is computed (its square root clamped so that unused branches stay finite) and one is kept. */
const toQuaternion = (m: M3): tf.Tensor[] => {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]
  const trace = tf.addN([m00, m11, m22])
  const root = (...terms: tf.Tensor[]) => tf.mul(tf.sqrt(tf.maximum(tf.add(1, tf.addN(terms)), 1e-6)), 2)
  const over = (a: tf.Tensor, b: tf.Tensor, sign: number, s: tf.Tensor) => tf.div(tf.add(a, tf.mul(b, sign)), s)
  const sT = root(trace)
  const sX = root(m00, tf.neg(m11), tf.neg(m22))
  const sY = root(m11, tf.neg(m00), tf.neg(m22))
  const sZ = root(m22, tf.neg(m00), tf.neg(m11))
  const branches = [
    [tf.div(sT, 4), over(m21, m12, -1, sT), over(m02, m20, -1, sT), over(m10, m01, -1, sT)],
    [over(m21, m12, -1, sX), tf.div(sX, 4), over(m01, m10, 1, sX), over(m02, m20, 1, sX)],
    [over(m02, m20, -1, sY), over(m01, m10, 1, sY), tf.div(sY, 4), over(m12, m21, 1, sY)],
    [over(m10, m01, -1, sZ), over(m02, m20, 1, sZ), over(m12, m21, 1, sZ), tf.div(sZ, 4)]
  ] as tf.Tensor[][]
  // Branch masks (1 or 0) from step functions, which tfjs differentiates (as zero), unlike comparisons.
  const atLeast = (a: tf.Tensor, b: tf.Tensor) => tf.sub(1, tf.step(tf.sub(b, a)))
  const isT = tf.mul(atLeast(trace, m00), tf.mul(atLeast(trace, m11), atLeast(trace, m22)))
  const isX = tf.mul(atLeast(m00, m11), atLeast(m00, m22))
  const isY = atLeast(m11, m22)
  const pick = (mask: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.add(tf.mul(mask, a), tf.mul(tf.sub(1, mask), b))
  const q = [0, 1, 2, 3].map((k) => {
    const [t, x, y, z] = branches.map((b) => b[k] as tf.Tensor) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]
    return pick(isT, t, pick(isX, x, pick(isY, y, z)))
  })
  const w = q[0] as tf.Tensor
  const signOfW = tf.sub(tf.mul(atLeast(w, tf.zerosLike(w)), 2), 1)
  const signedNorm = tf.mul(tf.sqrt(tf.addN(q.map((v) => tf.square(v)))), signOfW)
  return q.map((v) => tf.div(v, signedNorm))
}

export const skinRotations: ResolvedOpDef<typeof skinRotationsSpec> = defineOpDef({
  spec: skinRotationsSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ rotations, weights, transforms, matrix }) => {
      const [b, j] = transforms.shape as [number, number, number, number]
      const n = rotations.shape[0] as number
      const pick = rotationPick()
      const parts = tf.reshape(tf.transpose(tf.reshape(tf.matMul(tf.reshape(transforms, [b * j, 16]) as tf.Tensor2D, pick), [b, j, 9]), [1, 0, 2]), [j, b * 9])
      const blended = tf.reshape(tf.transpose(tf.reshape(tf.matMul(weights as tf.Tensor2D, parts as tf.Tensor2D), [n, b, 9]), [1, 0, 2]), [b * n, 9])
      const skinning = columns(blended, 9, [b, n])
      const camera = columns(tf.matMul(tf.reshape(matrix, [1, 16]) as tf.Tensor2D, pick), 9, [1, 1])
      const own = fromQuaternion(columns(rotations, 4, [1, n]))
      const q = toQuaternion(mul(polar(mul(camera, skinning)), own))
      const out = tf.addN(q.map((v, k) => tf.matMul(tf.reshape(v, [b * n, 1]) as tf.Tensor2D, placeRow(4, k))))
      return { out: tf.reshape(out, [b, n, 4]) }
    }
  }
})
