/**
 * The objective of a training step: the loss terms active at this clock (weight not 0), and each
 * sample's environment of inputs, dense params and the sample's rows of per-frame params, the rows
 * of trainable ones as fresh variables so that the tape differentiates them.
 */
import * as tf from "@tensorflow/tfjs"
import type { Sample } from "../data/dataset.ts"
import type { LossTerm, Ref } from "../dsl/graph.ts"
import type { Clock } from "../dsl/schedule.ts"
import { valueAt } from "../dsl/schedule.ts"
import type { Compiled } from "./execute.ts"
import { sampleTensors } from "./inputs.ts"
import type { ParamStore } from "./params.ts"
import { frameRow } from "./params.ts"

export interface ActiveTerm {
  readonly name: string
  readonly ref: Ref
  readonly weight: number
}

/** One sample's row of a trainable per-frame param, as a variable for the tape. */
export interface FrameRow {
  readonly param: string
  readonly frame: number
  readonly variable: tf.Variable
}

export const activeTerms = (compiled: Compiled, clock: Clock): ReadonlyArray<ActiveTerm> =>
  Object.entries(compiled.checked.graph.losses as Record<string, LossTerm>)
    .map(([name, term]) => ({ name, ref: term.value, weight: valueAt(term.weight, clock) }))
    .filter((t) => t.weight !== 0)

/** The env of one sample: its inputs, dense params, and its rows of per-frame params (variables when trainable). */
export const sampleEnv = (compiled: Compiled, store: ParamStore, sample: Sample, rows: FrameRow[]) => {
  const env = sampleTensors(compiled.checked.graph, sample)
  for (const p of store.dense.values()) env.set(`param:${p.name}`, p.variable)
  for (const p of store.frames.values()) {
    const row = tf.tensor(Float32Array.from(frameRow(p, sample.index)), [...p.rowShape])
    if (p.spec.frozen) env.set(`param:${p.name}`, row)
    else {
      const variable = tf.variable(row, true, `frame-row/${p.name}/${rows.length}`)
      row.dispose()
      rows.push({ param: p.name, frame: sample.index, variable })
      env.set(`param:${p.name}`, variable)
    }
  }
  return env
}

/** Read scalars computed by `make` (run inside a tidy, so its intermediates are freed) in one transfer. */
export const readScalars = async (make: () => ReadonlyArray<tf.Tensor>): Promise<Float32Array> => {
  const stacked = tf.tidy(() => {
    const tensors = make()
    return tensors.length === 0 ? tf.zeros([0]) : tf.stack(tensors.map((t) => tf.reshape(t, [])))
  })
  const values = (await stacked.data()) as Float32Array
  stacked.dispose()
  return values
}
