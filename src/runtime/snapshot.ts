/** Between a live run (params, Adam state, RNG) and a Checkpoint value. */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { ArrayEntry, Checkpoint, CheckpointHeader } from "./checkpoint.ts"
import { CheckpointError } from "./errors.ts"
import type { AdamState } from "./optimizer.ts"
import type { ParamStore } from "./params.ts"
import { isGiven } from "./params.ts"
import type { Rng } from "../math/rng.ts"

const entry = (key: string, shape: ReadonlyArray<number>, data: Float32Array | Int32Array): ArrayEntry => ({
  key,
  dtype: data instanceof Int32Array ? "int32" : "float32",
  shape,
  data
})

const read = async (t: tf.Tensor): Promise<Float32Array> => Float32Array.from((await t.data()) as Float32Array)

export const snapshot = async (store: ParamStore, adam: AdamState, header: Omit<CheckpointHeader, "adamSteps">): Promise<Checkpoint> => {
  const arrays = new Map<string, ArrayEntry>()
  const add = (e: ArrayEntry) => arrays.set(e.key, e)
  const adamSteps: Record<string, number> = {}
  for (const p of store.dense.values()) {
    if (isGiven(p)) continue
    add(entry(`param/${p.name}`, p.shape, await read(p.variable)))
    const m = adam.dense.get(p.name)
    if (m) {
      add(entry(`adam-m/${p.name}`, p.shape, await read(m.m)))
      add(entry(`adam-v/${p.name}`, p.shape, await read(m.v)))
      adamSteps[p.name] = m.step
    }
  }
  for (const p of store.frames.values()) {
    const shape = [p.frames, ...p.rowShape]
    add(entry(`param/${p.name}`, shape, Float32Array.from(p.table)))
    const m = adam.frames.get(p.name)
    if (m) {
      add(entry(`adam-m/${p.name}`, shape, Float32Array.from(m.m)))
      add(entry(`adam-v/${p.name}`, shape, Float32Array.from(m.v)))
      add(entry(`adam-rows/${p.name}`, [p.frames], Int32Array.from(m.steps)))
    }
  }
  return { header: { ...header, adamSteps }, arrays }
}

/** Restore a run from a checkpoint; every array must match the graph's params exactly. */
export const restore = (file: string, checkpoint: Checkpoint, store: ParamStore, adam: AdamState, rng: Rng): Effect.Effect<void, CheckpointError> =>
  Effect.try({
    try: () => {
      const take = (key: string, size: number): Float32Array | Int32Array => {
        const a = checkpoint.arrays.get(key)
        if (!a) throw new Error(`has no array "${key}" (was it written by another graph?)`)
        if (a.data.length !== size) throw new Error(`array "${key}" has ${a.data.length} values, the graph needs ${size}`)
        return a.data
      }
      for (const p of store.dense.values()) {
        if (isGiven(p)) continue
        const size = p.variable.size
        tf.tidy(() => p.variable.assign(tf.tensor(take(`param/${p.name}`, size), [...p.shape])))
        const m = adam.dense.get(p.name)
        if (m) {
          tf.tidy(() => m.m.assign(tf.tensor(take(`adam-m/${p.name}`, size), [...p.shape])))
          tf.tidy(() => m.v.assign(tf.tensor(take(`adam-v/${p.name}`, size), [...p.shape])))
          m.step = checkpoint.header.adamSteps[p.name] ?? 0
        }
      }
      for (const p of store.frames.values()) {
        p.table.set(take(`param/${p.name}`, p.table.length))
        const m = adam.frames.get(p.name)
        if (m) {
          m.m.set(take(`adam-m/${p.name}`, p.table.length))
          m.v.set(take(`adam-v/${p.name}`, p.table.length))
          m.steps.set(take(`adam-rows/${p.name}`, p.frames))
        }
      }
      rng.restore(checkpoint.header.rngState)
    },
    catch: (error) => new CheckpointError({ file, reason: error instanceof Error ? error.message : String(error) })
  })
