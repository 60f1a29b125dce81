/**
 * Adam with per-group learning rates and schedules.
 * Dense params: m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
 *               p <- p - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 * Per-frame params: the same update applied only to the rows of the batch,
 * with a step count per row (like SparseAdam, rows absent from a batch keep
 * their moments), computed on the host tables.
 */
import * as tf from "@tensorflow/tfjs"
import type { AnyGraph, GroupSpec } from "../dsl/graph.ts"
import type { Clock } from "../dsl/schedule.ts"
import { valueAt } from "../dsl/schedule.ts"
import type { FrameParam, ParamStore } from "./params.ts"

export interface DenseMoments {
  readonly m: tf.Variable
  readonly v: tf.Variable
  step: number
}

export interface FrameMoments {
  readonly m: Float32Array
  readonly v: Float32Array
  /** Steps taken by each row. */
  readonly steps: Int32Array
}

export interface AdamState {
  readonly dense: Map<string, DenseMoments>
  readonly frames: Map<string, FrameMoments>
}

export const createAdam = (store: ParamStore): AdamState => {
  const dense = new Map<string, DenseMoments>()
  for (const p of store.dense.values())
    if (!p.spec.frozen) dense.set(p.name, { m: tf.variable(tf.zerosLike(p.variable), false), v: tf.variable(tf.zerosLike(p.variable), false), step: 0 })
  const frames = new Map<string, FrameMoments>()
  for (const p of store.frames.values())
    if (!p.spec.frozen) frames.set(p.name, { m: new Float32Array(p.table.length), v: new Float32Array(p.table.length), steps: new Int32Array(p.frames) })
  return { dense, frames }
}

export const disposeAdam = (state: AdamState): void => {
  for (const s of state.dense.values()) tf.dispose([s.m, s.v])
}

const groupOf = (graph: AnyGraph, name: string): GroupSpec => (graph.groups as Record<string, GroupSpec>)[name] as GroupSpec

export const learningRate = (graph: AnyGraph, group: string, clock: Clock): number => valueAt(groupOf(graph, group).lr, clock)

/** One dense Adam update. `grad` is consumed (disposed by the caller's tidy). */
export const adamDense = (variable: tf.Variable, moments: DenseMoments, grad: tf.Tensor, group: GroupSpec, lr: number): void => {
  moments.step += 1
  const [b1, b2] = group.betas
  const t = moments.step
  tf.tidy(() => {
    const m = tf.add(tf.mul(moments.m, b1), tf.mul(grad, 1 - b1))
    const v = tf.add(tf.mul(moments.v, b2), tf.mul(tf.square(grad), 1 - b2))
    const mHat = tf.div(m, 1 - Math.pow(b1, t))
    const vHat = tf.div(v, 1 - Math.pow(b2, t))
    moments.m.assign(m)
    moments.v.assign(v)
    variable.assign(tf.sub(variable, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), group.eps)), lr)))
  })
}

/** Adam on one row of a per-frame table, on the host. Rows of one frame appearing twice in a batch arrive summed. */
export const adamRow = (param: FrameParam, moments: FrameMoments, frame: number, grad: Float32Array, group: GroupSpec, lr: number): void => {
  const [b1, b2] = group.betas
  const t = (moments.steps[frame] = (moments.steps[frame] as number) + 1)
  const c1 = 1 - Math.pow(b1, t)
  const c2 = 1 - Math.pow(b2, t)
  const offset = frame * param.rowSize
  for (let i = 0; i < param.rowSize; i++) {
    const g = grad[i] as number
    const k = offset + i
    const m = (moments.m[k] = b1 * (moments.m[k] as number) + (1 - b1) * g)
    const v = (moments.v[k] = b2 * (moments.v[k] as number) + (1 - b2) * g * g)
    param.table[k] = (param.table[k] as number) - (lr * (m / c1)) / (Math.sqrt(v / c2) + group.eps)
  }
}
