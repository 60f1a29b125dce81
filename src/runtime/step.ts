/**
 * One training step: evaluate the graph once per sample of the batch on the
 * tape, average the weighted loss terms, differentiate w.r.t. trainable dense
 * params and the batch's rows of per-frame params, check for NaN/Inf, and
 * apply Adam.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { Sample } from "../data/dataset.ts"
import type { GroupSpec, LossTerm, Ref, StateUpdate } from "../dsl/graph.ts"
import type { Clock } from "../dsl/schedule.ts"
import { valueAt } from "../dsl/schedule.ts"
import type { OpContext } from "../ops/contract.ts"
import { NonFinite } from "./errors.ts"
import type { Compiled, NodeValues } from "./execute.ts"
import { evaluateNodes, nodesFor, resolve } from "./execute.ts"
import { sampleTensors } from "./inputs.ts"
import type { AdamState } from "./optimizer.ts"
import { adamDense, adamRow } from "./optimizer.ts"
import type { ParamStore } from "./params.ts"
import { frameRow } from "./params.ts"

export interface StepResult {
  /** Weighted sum of the loss terms, mean over the batch. */
  readonly total: number
  /** Each loss term's unweighted value, mean over the batch. */
  readonly losses: Readonly<Record<string, number>>
  readonly metrics: Readonly<Record<string, number>>
}

interface ActiveTerm {
  readonly name: string
  readonly ref: Ref
  readonly weight: number
}

let rowCounter = 0

const activeTerms = (compiled: Compiled, clock: Clock): ReadonlyArray<ActiveTerm> =>
  Object.entries(compiled.checked.graph.losses as Record<string, LossTerm>)
    .map(([name, term]) => ({ name, ref: term.value, weight: valueAt(term.weight, clock) }))
    .filter((t) => t.weight !== 0)

/** The env of one sample: its inputs, dense params, and its rows of per-frame params (variables when trainable). */
const sampleEnv = (compiled: Compiled, store: ParamStore, sample: Sample, rows: Array<{ param: string; frame: number; variable: tf.Variable }>) => {
  const env = sampleTensors(compiled.checked.graph, sample)
  for (const p of store.dense.values()) env.set(`param:${p.name}`, p.variable)
  for (const p of store.frames.values()) {
    const row = tf.tensor(Float32Array.from(frameRow(p, sample.index)), [...p.rowShape])
    if (p.spec.frozen) env.set(`param:${p.name}`, row)
    else {
      const variable = tf.variable(row, true, `frame-row#${rowCounter++}`)
      row.dispose()
      rows.push({ param: p.name, frame: sample.index, variable })
      env.set(`param:${p.name}`, variable)
    }
  }
  return env
}

/** Read scalars computed by `make` (run inside a tidy, so its intermediates are freed) in one transfer. */
const readScalars = async (make: () => ReadonlyArray<tf.Tensor>): Promise<Float32Array> => {
  const stacked = tf.tidy(() => {
    const tensors = make()
    return tensors.length === 0 ? tf.zeros([0]) : tf.stack(tensors.map((t) => tf.reshape(t, [])))
  })
  const values = (await stacked.data()) as Float32Array
  stacked.dispose()
  return values
}

/** The first node whose output is not finite, evaluating one sample without the tape. */
export const locateNonFinite = async (compiled: Compiled, env: ReadonlyMap<string, tf.Tensor>, nodes: ReadonlyArray<string>, ctx: OpContext): Promise<string | undefined> => {
  const values: NodeValues = new Map()
  try {
    for (const name of nodes) {
      const outputs = tf.tidy(() => evaluateNodes(compiled, env, [name], ctx, values).get(name) as Record<string, tf.Tensor>)
      for (const [output, t] of Object.entries(outputs)) {
        const finite = (await tf.tidy(() => tf.all(tf.isFinite(t))).data())[0]
        if (!finite) return `node "${name}" output "${output}"`
      }
    }
    return undefined
  } finally {
    for (const outs of values.values()) tf.dispose(Object.values(outs))
  }
}

export const trainStep = (compiled: Compiled, store: ParamStore, adam: AdamState, samples: ReadonlyArray<Sample>, clock: Clock): Effect.Effect<StepResult, NonFinite> =>
  Effect.tryPromise({
    try: () => trainStepAsync(compiled, store, adam, samples, clock),
    catch: (error) => (error instanceof NonFinite ? error : new NonFinite({ step: clock.iteration, where: `step failed: ${String(error)}` }))
  })

const trainStepAsync = async (compiled: Compiled, store: ParamStore, adam: AdamState, samples: ReadonlyArray<Sample>, clock: Clock): Promise<StepResult> => {
  const graph = compiled.checked.graph
  const ctx: OpContext = { mode: "train", epoch: clock.epoch, iteration: clock.iteration }
  const terms = activeTerms(compiled, clock)
  const metrics = Object.entries(graph.metrics as Record<string, Ref>)
  const updates = Object.entries(graph.updates)
  const nodes = nodesFor(compiled, [...terms.map((t) => t.ref), ...metrics.map(([, r]) => r), ...updates.map(([, u]) => u.value)])
  const updateValues: tf.Tensor[][] = updates.map(() => [])
  const rows: Array<{ param: string; frame: number; variable: tf.Variable }> = []
  const envs = samples.map((s) => sampleEnv(compiled, store, s, rows))
  const kept: tf.Tensor[] = []
  try {
    const objective = () => {
      const perSample = envs.map((env) => {
        const values = evaluateNodes(compiled, env, nodes, ctx)
        const termValues = terms.map((t) => resolve(t.ref, env, values))
        kept.push(...termValues.map((v) => tf.keep(v)), ...metrics.map(([, r]) => tf.keep(resolve(r, env, values))))
        updates.forEach(([, u], k) => updateValues[k]?.push(tf.keep(resolve(u.value, env, values))))
        return tf.addN([tf.scalar(0), ...termValues.map((v, i) => tf.mul(v, (terms[i] as ActiveTerm).weight))])
      })
      return tf.div(tf.addN(perSample), samples.length) as tf.Scalar
    }
    const trainable = [...[...store.dense.values()].filter((p) => !p.spec.frozen).map((p) => p.variable), ...rows.map((r) => r.variable)]
    // variableGrads leaves intermediate tensors behind unless wrapped in tidy (REFERENCE section 6).
    const { value, grads } = tf.tidy(() => (trainable.length > 0 ? tf.variableGrads(objective, trainable) : { value: objective(), grads: {} as tf.NamedTensorMap }))
    kept.push(value)
    const scalars = await readScalars(() => kept)
    const perSampleCount = terms.length + metrics.length
    const mean = (k: number) => samples.reduce((s, _, b) => s + (scalars[b * perSampleCount + k] as number), 0) / samples.length
    const losses = Object.fromEntries(terms.map((t, k) => [t.name, mean(k)]))
    const metricValues = Object.fromEntries(metrics.map(([name], k) => [name, mean(terms.length + k)]))
    const total = scalars[scalars.length - 1] as number
    try {
      if (!Number.isFinite(total)) {
        const where = (await locateNonFinite(compiled, envs[0] as Map<string, tf.Tensor>, nodes, ctx)) ?? `loss terms ${terms.map((t) => t.name).join(", ")}`
        throw new NonFinite({ step: clock.iteration, where })
      }
      await checkGradsFinite(grads, store, rows, clock.iteration)
      await applyRowAdam(compiled, store, adam, grads, rows, clock)
      applyDenseAdam(compiled, store, adam, grads, clock)
      applyStateUpdates(store, updates, updateValues)
    } finally {
      tf.dispose(Object.values(grads))
    }
    return { total, losses, metrics: metricValues }
  } finally {
    tf.dispose(kept)
    tf.dispose(updateValues.flat())
    for (const env of envs) for (const [key, t] of env) if (key.startsWith("input:")) t.dispose()
    for (const r of rows) r.variable.dispose()
    for (const env of envs) for (const [key, t] of env) if (key.startsWith("param:") && !(t instanceof tf.Variable)) t.dispose()
  }
}

const checkGradsFinite = async (grads: tf.NamedTensorMap, store: ParamStore, rows: ReadonlyArray<{ param: string; variable: tf.Variable }>, step: number): Promise<void> => {
  const names = Object.keys(grads)
  const sums = await readScalars(() => names.map((n) => tf.sum(grads[n] as tf.Tensor)))
  const bad = names.findIndex((_, i) => !Number.isFinite(sums[i] as number))
  if (bad < 0) return
  const variableName = names[bad] as string
  const dense = [...store.dense.values()].find((p) => p.variable.name === variableName)
  const row = rows.find((r) => r.variable.name === variableName)
  throw new NonFinite({ step, where: `gradient of param "${dense?.name ?? row?.param ?? variableName}"` })
}

/** Running statistics: param <- (1 - momentum) param + momentum mean(values over the batch). */
const applyStateUpdates = (store: ParamStore, updates: ReadonlyArray<readonly [string, StateUpdate]>, values: ReadonlyArray<ReadonlyArray<tf.Tensor>>): void => {
  updates.forEach(([name, u], k) => {
    const param = store.dense.get(name)
    const batch = values[k] ?? []
    if (!param || batch.length === 0) return
    tf.tidy(() => param.variable.assign(tf.add(tf.mul(param.variable, 1 - u.momentum), tf.mul(tf.div(tf.addN([...batch]), batch.length), u.momentum))))
  })
}

const groupSpec = (compiled: Compiled, group: string): GroupSpec => (compiled.checked.graph.groups as Record<string, GroupSpec>)[group] as GroupSpec

const applyDenseAdam = (compiled: Compiled, store: ParamStore, adam: AdamState, grads: tf.NamedTensorMap, clock: Clock): void => {
  for (const p of store.dense.values()) {
    const grad = grads[p.variable.name]
    const moments = adam.dense.get(p.name)
    if (!grad || !moments) continue
    const group = groupSpec(compiled, p.spec.group)
    adamDense(p.variable, moments, grad, group, valueAt(group.lr, clock))
  }
}

/** Sparse Adam on per-frame rows; a frame drawn twice in one batch gets the sum of its gradients. */
const applyRowAdam = async (
  compiled: Compiled,
  store: ParamStore,
  adam: AdamState,
  grads: tf.NamedTensorMap,
  rows: ReadonlyArray<{ param: string; frame: number; variable: tf.Variable }>,
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
