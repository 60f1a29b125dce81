/**
 * Skinning weights and the joint regressor of the open body.
 * Weights: each vertex starts fully bound to its part's joint, then the rows
 * are diffused over the mesh (so they blend smoothly across each joint and
 * never leak between parts that only touch in space, like the two thighs) and
 * normalised. Regressor: each joint is a weighted mean of the vertices nearest
 * to it, with weights that sum to 1 and reproduce the rest joint exactly, so
 * any affine change of the surface moves the joints the same way.
 */
import { JOINT_COUNT } from "../model.ts"
import type { Neighbours } from "./meshTools.ts"
import { diffuseRows } from "./meshTools.ts"
import type { Vec3 } from "./primitives.ts"

/** Diffusion rounds: blends over roughly 5 cm at the generator's vertex spacing. */
const BLEND_ROUNDS = 24

export const skinningWeights = (vertexJoint: Int32Array, neighbours: Neighbours): Float64Array => {
  const V = vertexJoint.length
  const oneHot = new Float64Array(V * JOINT_COUNT)
  vertexJoint.forEach((j, v) => {
    oneHot[v * JOINT_COUNT + j] = 1
  })
  const weights = diffuseRows(oneHot, JOINT_COUNT, neighbours, BLEND_ROUNDS)
  for (let v = 0; v < V; v++) {
    let sum = 0
    for (let j = 0; j < JOINT_COUNT; j++) sum += weights[v * JOINT_COUNT + j]!
    for (let j = 0; j < JOINT_COUNT; j++) weights[v * JOINT_COUNT + j]! /= sum
  }
  return weights
}

/** Vertices used per joint by the regressor. */
const REGRESSOR_SUPPORT = 48

/** The `count` vertices nearest to `p`, nearest first (searching a growing ball). */
const nearestVertices = (positions: Float64Array, p: Vec3, count: number): Array<{ v: number; d: number }> => {
  const all: Array<{ v: number; d: number }> = []
  for (let v = 0; v < positions.length / 3; v++)
    all.push({ v, d: Math.hypot(positions[3 * v]! - p[0], positions[3 * v + 1]! - p[1], positions[3 * v + 2]! - p[2]) })
  for (let radius = 0.1; ; radius *= 2) {
    const near = all.filter((x) => x.d < radius)
    if (near.length >= count || near.length === all.length) return near.sort((a, b) => a.d - b.d).slice(0, count)
  }
}

const solve3 = (m: number[][], r: number[]): number[] => {
  const det = (a: number[][]): number =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!)
  const d = det(m)
  return [0, 1, 2].map((c) => det(m.map((row, i) => row.map((x, k) => (k === c ? r[i]! : x)))) / d)
}

/**
 * [24, V] regressor: row j puts weights p_i (1 + (v_i - m) . lambda) on the
 * nearest vertices v_i, where p is a Gaussian prior by distance, m the
 * p-weighted mean and lambda solves Cov_p lambda = J - m, so that the row sums
 * to 1 and maps the rest vertices exactly onto J.
 */
export const jointRegressor = (positions: Float64Array, restJoints: ReadonlyArray<Vec3>): Float64Array => {
  const V = positions.length / 3
  const regressor = new Float64Array(JOINT_COUNT * V)
  restJoints.forEach((joint, j) => {
    const byDistance = nearestVertices(positions, joint, REGRESSOR_SUPPORT)
    const sigma = byDistance[byDistance.length - 1]!.d
    const prior = byDistance.map(({ d }) => Math.exp(-((d / sigma) ** 2)))
    const total = prior.reduce((a, b) => a + b, 0)
    const p = prior.map((x) => x / total)
    const point = (i: number): Vec3 => {
      const v = byDistance[i]!.v
      return [positions[3 * v]!, positions[3 * v + 1]!, positions[3 * v + 2]!]
    }
    const mean = [0, 1, 2].map((k) => p.reduce((s, pi, i) => s + pi * point(i)[k]!, 0))
    const cov = [0, 1, 2].map((a) => [0, 1, 2].map((b) => p.reduce((s, pi, i) => s + pi * (point(i)[a]! - mean[a]!) * (point(i)[b]! - mean[b]!), 0)))
    const lambda = solve3(cov, [0, 1, 2].map((k) => joint[k]! - mean[k]!))
    byDistance.forEach(({ v }, i) => {
      const q = point(i)
      const lift = 1 + (q[0] - mean[0]!) * lambda[0]! + (q[1] - mean[1]!) * lambda[1]! + (q[2] - mean[2]!) * lambda[2]!
      regressor[j * V + v] = p[i]! * lift
    })
  })
  return regressor
}
