/**
 * One training step: evaluate the graph once per sample of the batch on the
 * tape (objective.ts), average the weighted loss terms, differentiate w.r.t.
 * trainable dense params and the batch's rows of per-frame params, check for
 * NaN/Inf (diagnose.ts), and update the params (update.ts).
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { Sample } from "../data/dataset.ts"
import type { Ref } from "../dsl/graph.ts"
import type { Clock } from "../dsl/schedule.ts"
import type { OpContext } from "../ops/contract.ts"
import { checkGradsFinite, locateNonFinite } from "./diagnose.ts"
import { NonFinite } from "./errors.ts"
import type { Compiled } from "./execute.ts"
import { evaluateNodes, nodesFor, resolve } from "./execute.ts"
import type { ActiveTerm, FrameRow } from "./objective.ts"
import { activeTerms, readScalars, sampleEnv } from "./objective.ts"
import type { AdamState } from "./optimizer.ts"
import type { ParamStore } from "./params.ts"
import { applyDenseAdam, applyRowAdam, applyStateUpdates } from "./update.ts"

export interface StepResult {
  /** Weighted sum of the loss terms, mean over the batch. */
  readonly total: number
  /** Each loss term's unweighted value, mean over the batch. */
  readonly losses: Readonly<Record<string, number>>
  readonly metrics: Readonly<Record<string, number>>
}

/**
 * The sum of scalars as a chain of additions: tfjs-webgpu's addN binds every input as a storage
 * buffer in one shader, and more than 7 (the limit of 8 minus the output, e.g. SwiftShader's) make an
 * invalid pipeline that reads 0 (stage 1 with both pose priors has 7 loss terms).
 */
const sumOf = (values: ReadonlyArray<tf.Tensor>): tf.Tensor => values.reduce((sum, v) => tf.add(sum, v), tf.scalar(0))

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
  const rows: FrameRow[] = []
  const envs = samples.map((s) => sampleEnv(compiled, store, s, rows))
  const kept: tf.Tensor[] = []
  try {
    const objective = () => {
      const perSample = envs.map((env) => {
        const values = evaluateNodes(compiled, env, nodes, ctx)
        const termValues = terms.map((t) => resolve(t.ref, env, values))
        kept.push(...termValues.map((v) => tf.keep(v)), ...metrics.map(([, r]) => tf.keep(resolve(r, env, values))))
        updates.forEach(([, u], k) => updateValues[k]?.push(tf.keep(resolve(u.value, env, values))))
        return sumOf(termValues.map((v, i) => tf.mul(v, (terms[i] as ActiveTerm).weight)))
      })
      return tf.div(sumOf(perSample), samples.length) as tf.Scalar
    }
    const trainable = [...[...store.dense.values()].filter((p) => !p.spec.frozen).map((p) => p.variable), ...rows.map((r) => r.variable)]
    // tf.variableGrads leaves intermediate tensors behind unless wrapped in tidy (tfjs 4.22, every backend).
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
