/**
 * One training step: for each sample of the batch, evaluate the graph on the tape (forward.ts: node
 * by node, freeing what no later node reads), weight its loss terms, and differentiate w.r.t. the
 * trainable dense params and the sample's rows of per-frame params (gradients.ts, freeing as it
 * goes). Samples are independent (each has its own batch statistics), so the batch's gradient is the
 * sum of the samples' gradients of loss / batch, and only one sample's activations are alive at a
 * time. Then check for NaN/Inf (diagnose.ts) and update the params (update.ts). A kernel that throws
 * (a WebAssembly heap exhausted, most often) fails the step with OutOfMemory or StepFailed naming the
 * node that was running, never as a non-finite value.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { Sample } from "../data/dataset.ts"
import type { Ref, StateUpdate } from "../dsl/graph.ts"
import type { Clock } from "../dsl/schedule.ts"
import type { OpContext } from "../ops/contract.ts"
import { checkGradsFinite, locateNonFinite } from "./diagnose.ts"
import type { OutOfMemory, StepFailed } from "./errors.ts"
import { NonFinite } from "./errors.ts"
import type { Compiled, Env } from "./execute.ts"
import { nodesFor, resolve } from "./execute.ts"
import type { TapeMarks } from "./forward.ts"
import { evaluateLean, freedAfter } from "./forward.ts"
import { valueAndGrads } from "./gradients.ts"
import { stepFailure } from "./failure.ts"
import type { NodeBytes } from "./memoryReport.ts"
import { savedBytesByNode } from "./memoryReport.ts"
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

/** Sees each sample's forward pass: the bytes each node keeps for the backward pass (the memory bench). */
export interface StepProbe {
  readonly onSaved: (saved: ReadonlyArray<NodeBytes>) => void
}

export const trainStep = (
  compiled: Compiled,
  store: ParamStore,
  adam: AdamState,
  samples: ReadonlyArray<Sample>,
  clock: Clock,
  probe?: StepProbe
): Effect.Effect<StepResult, NonFinite | OutOfMemory | StepFailed> =>
  Effect.tryPromise({
    try: () => trainStepAsync(compiled, store, adam, samples, clock, probe),
    catch: (error) => (error instanceof NonFinite ? error : stepFailure(error, clock.iteration, []))
  })

/** What every sample's pass evaluates and reads. */
interface StepPlan {
  readonly ctx: OpContext
  readonly terms: ReadonlyArray<ActiveTerm>
  readonly metrics: ReadonlyArray<readonly [string, Ref]>
  readonly updates: ReadonlyArray<readonly [string, StateUpdate]>
  readonly nodes: ReadonlyArray<string>
  readonly freed: ReadonlyArray<ReadonlyArray<string>>
  readonly batch: number
}

const planStep = (compiled: Compiled, clock: Clock, batch: number): StepPlan => {
  const graph = compiled.checked.graph
  const terms = activeTerms(compiled, clock)
  const metrics = Object.entries(graph.metrics as Record<string, Ref>)
  const updates = Object.entries(graph.updates)
  const roots = [...terms.map((t) => t.ref), ...metrics.map(([, r]) => r), ...updates.map(([, u]) => u.value)]
  const nodes = nodesFor(compiled, roots)
  return { ctx: { mode: "train", epoch: clock.epoch, iteration: clock.iteration }, terms, metrics, updates, nodes, freed: freedAfter(compiled, nodes, roots), batch }
}

/** What one sample's pass leaves: its scalars (terms, metrics, then the weighted total) and state-update values, kept. */
interface SamplePass {
  readonly scalars: tf.Tensor[]
  readonly updateValues: tf.Tensor[]
}

/** One sample's weighted loss / batch, its gradients added into `sums` (by variable name). */
const samplePass = (compiled: Compiled, plan: StepPlan, env: Env, trainable: ReadonlyArray<tf.Variable>, sums: Map<string, tf.Tensor>, marks: TapeMarks, probe?: StepProbe): SamplePass => {
  const scalars: tf.Tensor[] = []
  const updateValues: tf.Tensor[] = []
  const objective = () => {
    const values = evaluateLean(compiled, env, plan.nodes, plan.freed, plan.ctx, marks)
    const termValues = plan.terms.map((t) => resolve(t.ref, env, values))
    scalars.push(...termValues.map((v) => tf.keep(v)), ...plan.metrics.map(([, r]) => tf.keep(resolve(r, env, values))))
    updateValues.push(...plan.updates.map(([, u]) => tf.keep(resolve(u.value, env, values))))
    return tf.div(sumOf(termValues.map((v, i) => tf.mul(v, (plan.terms[i] as ActiveTerm).weight))), plan.batch) as tf.Scalar
  }
  let result: { value: tf.Scalar; grads: Array<tf.Tensor | undefined> }
  try {
    result = trainable.length === 0 ? { value: tf.tidy(objective), grads: [] } : valueAndGrads(objective, trainable, undefined, probe && ((tape) => probe.onSaved(savedBytesByNode(tape, marks))))
  } catch (error) {
    tf.dispose([...scalars, ...updateValues])
    throw error
  }
  scalars.push(result.value)
  result.grads.forEach((g, i) => {
    if (!g) return
    const name = (trainable[i] as tf.Variable).name
    const before = sums.get(name)
    sums.set(name, before ? tf.add(before, g) : g)
    if (before) tf.dispose([before, g])
  })
  return { scalars, updateValues }
}

const trainStepAsync = async (compiled: Compiled, store: ParamStore, adam: AdamState, samples: ReadonlyArray<Sample>, clock: Clock, probe?: StepProbe): Promise<StepResult> => {
  const plan = planStep(compiled, clock, samples.length)
  const rows: FrameRow[] = []
  const envs = samples.map((s) => sampleEnv(compiled, store, s, rows))
  const dense = [...store.dense.values()].filter((p) => !p.spec.frozen).map((p) => p.variable)
  const passes: SamplePass[] = []
  const sums = new Map<string, tf.Tensor>()
  const marks: TapeMarks = []
  try {
    for (const env of envs) {
      const own = rows.filter((r) => env.get(`param:${r.param}`) === r.variable).map((r) => r.variable)
      marks.length = 0
      try {
        passes.push(samplePass(compiled, plan, env, [...dense, ...own], sums, marks, probe))
      } catch (error) {
        throw stepFailure(error, clock.iteration, marks)
      }
    }
    const perSample = plan.terms.length + plan.metrics.length + 1
    const scalars = await readScalars(() => passes.flatMap((p) => p.scalars))
    const mean = (k: number) => samples.reduce((s, _, b) => s + (scalars[b * perSample + k] as number), 0) / samples.length
    const losses = Object.fromEntries(plan.terms.map((t, k) => [t.name, mean(k)]))
    const metricValues = Object.fromEntries(plan.metrics.map(([name], k) => [name, mean(plan.terms.length + k)]))
    const total = samples.reduce((s, _, b) => s + (scalars[b * perSample + perSample - 1] as number), 0)
    if (!Number.isFinite(total)) {
      const where = (await locateNonFinite(compiled, envs[0] as Map<string, tf.Tensor>, plan.nodes, plan.ctx)) ?? `loss terms ${plan.terms.map((t) => t.name).join(", ")}`
      throw new NonFinite({ step: clock.iteration, where })
    }
    const grads = Object.fromEntries(sums)
    await checkGradsFinite(grads, store, rows, clock.iteration)
    await applyRowAdam(compiled, store, adam, grads, rows, clock)
    applyDenseAdam(compiled, store, adam, grads, clock)
    applyStateUpdates(
      store,
      plan.updates,
      plan.updates.map((_, k) => passes.map((p) => p.updateValues[k] as tf.Tensor))
    )
    return { total, losses, metrics: metricValues }
  } finally {
    tf.dispose([...sums.values()])
    tf.dispose(passes.flatMap((p) => [...p.scalars, ...p.updateValues]))
    for (const env of envs) for (const [key, t] of env) if (key.startsWith("input:")) t.dispose()
    for (const r of rows) r.variable.dispose()
    for (const env of envs) for (const [key, t] of env) if (key.startsWith("param:") && !(t instanceof tf.Variable)) t.dispose()
  }
}
