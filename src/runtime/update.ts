/**
 * The parameter update of a training step: Adam on dense params and, sparsely, on the batch's rows
 * of per-frame params; then the running statistics (e.g. BatchNorm's) move towards the batch's.
 */
import * as tf from "@tensorflow/tfjs"
import type { GroupSpec, StateUpdate } from "../dsl/graph.ts"
import type { Clock } from "../dsl/schedule.ts"
import { valueAt } from "../dsl/schedule.ts"
import type { Compiled } from "./execute.ts"
import type { FrameRow } from "./objective.ts"
import type { AdamState } from "./optimizer.ts"
import { adamDense, adamRow } from "./optimizer.ts"
import type { ParamStore } from "./params.ts"

/** Running statistics: param <- (1 - momentum) param + momentum mean(values over the batch). */
export const applyStateUpdates = (store: ParamStore, updates: ReadonlyArray<readonly [string, StateUpdate]>, values: ReadonlyArray<ReadonlyArray<tf.Tensor>>): void => {
  updates.forEach(([name, u], k) => {
    const param = store.dense.get(name)
    const batch = values[k] ?? []
    if (!param || batch.length === 0) return
    tf.tidy(() => param.variable.assign(tf.add(tf.mul(param.variable, 1 - u.momentum), tf.mul(tf.div(tf.addN([...batch]), batch.length), u.momentum))))
  })
}

const groupSpec = (compiled: Compiled, group: string): GroupSpec => (compiled.checked.graph.groups as Record<string, GroupSpec>)[group] as GroupSpec

export const applyDenseAdam = (compiled: Compiled, store: ParamStore, adam: AdamState, grads: tf.NamedTensorMap, clock: Clock): void => {
  for (const p of store.dense.values()) {
    const grad = grads[p.variable.name]
    const moments = adam.dense.get(p.name)
    if (!grad || !moments) continue
    const group = groupSpec(compiled, p.spec.group)
    adamDense(p.variable, moments, grad, group, valueAt(group.lr, clock))
  }
}

/** Sparse Adam on per-frame rows; a frame drawn twice in one batch gets the sum of its gradients. */
export const applyRowAdam = async (
  compiled: Compiled,
  store: ParamStore,
  adam: AdamState,
  grads: tf.NamedTensorMap,
  rows: ReadonlyArray<FrameRow>,
  clock: Clock
): Promise<void> => {
  const summed = new Map<string, { param: string; frame: number; grad: Float32Array }>()
  for (const r of rows) {
    const grad = grads[r.variable.name]
    if (!grad) continue
    const values = (await grad.data()) as Float32Array
    const key = `${r.param}#${r.frame}`
    const entry = summed.get(key)
    if (entry) entry.grad.forEach((g, i) => (entry.grad[i] = g + (values[i] as number)))
    else summed.set(key, { param: r.param, frame: r.frame, grad: Float32Array.from(values) })
  }
  for (const { param, frame, grad } of summed.values()) {
    const p = store.frames.get(param)
    const moments = adam.frames.get(param)
    if (!p || !moments) continue
    const group = groupSpec(compiled, p.spec.group)
    adamRow(p, moments, frame, grad, group, valueAt(group.lr, clock))
  }
}
