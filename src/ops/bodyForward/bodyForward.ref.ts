/**
 * Float64 reference of bodyForward (see bodyForward.ts for the math): plain
 * loops, one sample after another.
 */
import type { F64, Reference } from "../contract.ts"
import { skin64 } from "../lbs/lbs.ref.ts"
import type { BodyForwardAttrs } from "./spec.ts"

/** Rodrigues in float64: r (3 numbers at `at`) -> row-major 3x3. Series below t^2 = 1e-6. */
export const rodrigues64 = (r: ArrayLike<number>, at = 0): Float64Array => {
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

const mul33 = (m: Float64Array, n: Float64Array): Float64Array => {
  const out = new Float64Array(9)
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = m[3 * r]! * n[c]! + m[3 * r + 1]! * n[3 + c]! + m[3 * r + 2]! * n[6 + c]!
  return out
}

const mulVec = (m: Float64Array, v: ArrayLike<number>): [number, number, number] => [
  m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!,
  m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!,
  m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!
]

export interface BodyForward64 {
  /** [B, V, 3] */
  readonly vertices: Float64Array
  /** [B, J, 3] */
  readonly joints: Float64Array
  /** [B, J, 4, 4] */
  readonly transforms: Float64Array
}

export interface BodyArrays64 {
  readonly vTemplate: Float64Array
  readonly shapeDirs: Float64Array
  readonly jRegressor: Float64Array
  readonly weights: Float64Array
  readonly parents: ReadonlyArray<number>
}

/** betas [B, K], pose [B, J, 3], transl [B, 3] on a body's arrays. */
export const bodyForward64 = (body: BodyArrays64, betas: Float64Array, pose: Float64Array, transl: Float64Array, batch: number): BodyForward64 => {
  const V = body.vTemplate.length / 3
  const J = body.parents.length
  const K = betas.length / batch
  const shaped = new Float64Array(batch * V * 3)
  const joints = new Float64Array(batch * J * 3)
  const transforms = new Float64Array(batch * J * 16)
  for (let s = 0; s < batch; s++) {
    for (let v = 0; v < V * 3; v++) {
      let x = body.vTemplate[v]!
      for (let k = 0; k < K; k++) x += body.shapeDirs[v * K + k]! * betas[s * K + k]!
      shaped[s * V * 3 + v] = x
    }
    const rest = new Float64Array(J * 3)
    for (let j = 0; j < J; j++)
      for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) rest[3 * j + c]! += body.jRegressor[j * V + v]! * shaped[(s * V + v) * 3 + c]!
    const worldR: Float64Array[] = []
    const worldT: Array<[number, number, number]> = []
    body.parents.forEach((p, j) => {
      const local = rodrigues64(pose, (s * J + j) * 3)
      const restJ = [rest[3 * j]!, rest[3 * j + 1]!, rest[3 * j + 2]!]
      if (p < 0) {
        worldR.push(local)
        worldT.push([restJ[0]!, restJ[1]!, restJ[2]!])
      } else {
        worldR.push(mul33(worldR[p]!, local))
        const d = mulVec(worldR[p]!, [restJ[0]! - rest[3 * p]!, restJ[1]! - rest[3 * p + 1]!, restJ[2]! - rest[3 * p + 2]!])
        worldT.push([d[0] + worldT[p]![0], d[1] + worldT[p]![1], d[2] + worldT[p]![2]])
      }
      const R = worldR[j]!
      const Rrest = mulVec(R, restJ)
      for (let c = 0; c < 3; c++) {
        const joint = worldT[j]![c]! + transl[3 * s + c]!
        joints[(s * J + j) * 3 + c] = joint
        const at = (s * J + j) * 16 + 4 * c
        transforms[at] = R[3 * c]!
        transforms[at + 1] = R[3 * c + 1]!
        transforms[at + 2] = R[3 * c + 2]!
        transforms[at + 3] = joint - Rrest[c]!
      }
      transforms[(s * J + j) * 16 + 15] = 1
    })
  }
  return { vertices: skin64(shaped, body.weights, transforms, batch, V, J), joints, transforms }
}

export const bodyForwardReference: Reference<"betas" | "pose" | "transl" | "vTemplate" | "shapeDirs" | "jRegressor" | "weights", "vertices" | "joints" | "transforms", BodyForwardAttrs> = {
  forward: (inputs, attrs) => {
    const batch = inputs.pose.shape[0] as number
    const V = inputs.vTemplate.shape[0] as number
    const J = attrs.parents.length
    const out = bodyForward64(
      { vTemplate: inputs.vTemplate.data, shapeDirs: inputs.shapeDirs.data, jRegressor: inputs.jRegressor.data, weights: inputs.weights.data, parents: attrs.parents },
      inputs.betas.data,
      inputs.pose.data,
      inputs.transl.data,
      batch
    )
    const vertices: F64 = { shape: [batch, V, 3], data: out.vertices }
    const joints: F64 = { shape: [batch, J, 3], data: out.joints }
    const transforms: F64 = { shape: [batch, J, 4, 4], data: out.transforms }
    return { vertices, joints, transforms }
  }
}
