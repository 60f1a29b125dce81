/**
 * Shape directions of the open body: [V, 3, K] displacement per unit beta,
 * each a smooth field built from the rest surface and the skinning weights
 * (so a field confined to the arms blends out over the shoulder exactly as
 * the arm's weights do). About 2-5 cm per unit beta.
 */
import { JOINT_COUNT } from "../model.ts"
import type { PartFrame } from "./charts.ts"

export const SHAPE_NAMES = [
  "height", "girth", "legLength", "armLength", "shoulderWidth", "hipWidth", "torsoLength", "neckLength", "headSize", "belly"
] as const

export const SHAPE_COUNT = SHAPE_NAMES.length

const smoothstep = (a: number, b: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)))
  return t * t * (3 - 2 * t)
}

const ARM_JOINTS = [16, 17, 18, 19, 20, 21, 22, 23]
const TORSO_JOINTS = [0, 3, 6, 9]
/** Girth per metre of beta, by joint: torso most, head, hands and feet least. */
const GIRTH = [0.015, 0.01, 0.01, 0.015, 0.007, 0.007, 0.015, 0.003, 0.003, 0.013, 0.002, 0.002, 0.005, 0.008, 0.008, 0.002, 0.007, 0.007, 0.005, 0.005, 0.002, 0.002, 0.001, 0.001]
const HEAD_CENTRE = [0, 0.44, 0.02] as const

type Field = (p: readonly [number, number, number], w: (j: number) => number, radial: (j: number) => readonly [number, number, number]) => readonly [number, number, number]

const fields: { readonly [K in (typeof SHAPE_NAMES)[number]]: Field } = {
  height: (p) => [0.03 * p[0], 0.03 * p[1], 0.03 * p[2]],
  girth: (_p, w, radial) => {
    const d = [0, 0, 0]
    for (let j = 0; j < JOINT_COUNT; j++) {
      const r = radial(j)
      for (let k = 0; k < 3; k++) d[k]! += GIRTH[j]! * w(j) * r[k]!
    }
    return [d[0]!, d[1]!, d[2]!]
  },
  legLength: (p) => [0, -0.04 * Math.min(1, Math.max(0, (-0.3 - p[1]) / 0.85)), 0],
  armLength: (p, w) => {
    const arm = ARM_JOINTS.reduce((s, j) => s + w(j), 0)
    return [Math.sign(p[0]) * 0.03 * Math.min(1, Math.max(0, (Math.abs(p[0]) - 0.17) / 0.6)) * arm, 0, 0]
  },
  shoulderWidth: (p, w) => [0.02 * Math.tanh(p[0] / 0.05) * smoothstep(-0.05, 0.12, p[1]) * (1 - w(15) - w(12)), 0, 0],
  hipWidth: (p) => [0.015 * Math.tanh(p[0] / 0.06) * (1 - smoothstep(-0.3, -0.1, p[1])), 0, 0],
  torsoLength: (p) => [0, 0.03 * smoothstep(-0.25, 0.1, p[1]), 0],
  neckLength: (p, w) => [0, 0.02 * smoothstep(0.27, 0.36, p[1]) * (1 - ARM_JOINTS.reduce((s, j) => s + w(j), 0) - w(13) - w(14)), 0],
  headSize: (p, w) => [0.12 * (p[0] - HEAD_CENTRE[0]) * w(15), 0.12 * (p[1] - HEAD_CENTRE[1]) * w(15), 0.12 * (p[2] - HEAD_CENTRE[2]) * w(15)],
  belly: (p, w) => {
    const torso = TORSO_JOINTS.reduce((s, j) => s + w(j), 0)
    return [0, 0, 0.03 * Math.exp(-(((p[1] + 0.1) / 0.12) ** 2)) * smoothstep(-0.02, 0.06, p[2]) * torso]
  }
}

/** [V, 3, K] shape directions. */
export const shapeDirections = (positions: Float64Array, weights: Float64Array, frames: ReadonlyArray<PartFrame>): Float64Array => {
  const V = positions.length / 3
  const K = SHAPE_COUNT
  const dirs = new Float64Array(V * 3 * K)
  for (let v = 0; v < V; v++) {
    const p = [positions[3 * v]!, positions[3 * v + 1]!, positions[3 * v + 2]!] as const
    const w = (j: number): number => weights[v * JOINT_COUNT + j]!
    const radial = (j: number): readonly [number, number, number] => {
      const { origin, axis } = frames[j]!
      const d = [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]]
      const along = d[0]! * axis[0] + d[1]! * axis[1] + d[2]! * axis[2]
      const r = [d[0]! - along * axis[0], d[1]! - along * axis[1], d[2]! - along * axis[2]]
      const len = Math.hypot(r[0]!, r[1]!, r[2]!) || 1
      return [r[0]! / len, r[1]! / len, r[2]! / len]
    }
    SHAPE_NAMES.forEach((name, k) => {
      const d = fields[name](p, w, radial)
      for (let c = 0; c < 3; c++) dirs[(v * 3 + c) * K + k] = d[c]!
    })
  }
  return dirs
}
