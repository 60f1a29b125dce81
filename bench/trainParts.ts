/**
 * The parts of an avatar training step, timed one by one on the inputs of a real step:
 *   network   feature tensor convolutions, resampling to the query map, decoder (+ pose encoder in
 *             stage 2) and the output activations,
 *   bodyLbs   bodyForward, composeTransforms, lbs, transformPoints (+ the posed position map in stage 2)
 *             and the reshapes between them,
 *   raster    the rasteriser,
 *   losses    L1, SSIM, the regularisers and the PSNR metric.
 * Every node the step evaluates belongs to exactly one part. A part is evaluated through the
 * runtime's own evaluateNodes, reading the other parts' outputs (computed once by a full forward
 * pass) as variables, and differentiated with tfjs's tape w.r.t. the inputs the real step
 * differentiates through (outputs of nodes that depend on a trainable param) and its trainable
 * params; the objective is each output a later part reads dotted with a fixed random cotangent,
 * plus the loss terms it computes with their weights. The step's own overhead (sample upload,
 * Adam, finiteness checks, reading scalars) is in no part.
 */
import * as tf from "@tensorflow/tfjs"
import type { Sample } from "../src/data/dataset.ts"
import type { LossTerm, NodeSpec, ParamSpec, Ref, StateUpdate } from "../src/dsl/graph.ts"
import type { Clock } from "../src/dsl/schedule.ts"
import { valueAt } from "../src/dsl/schedule.ts"
import type { OpContext } from "../src/ops/contract.ts"
import type { Compiled, NodeValues } from "../src/runtime/execute.ts"
import { envKey, evaluateNodes, nodesFor } from "../src/runtime/execute.ts"
import { sampleTensors } from "../src/runtime/inputs.ts"
import type { ParamStore } from "../src/runtime/params.ts"
import { frameRow } from "../src/runtime/params.ts"
import type { Timing } from "./timing.ts"
import { timeRuns } from "./timing.ts"

export const PARTS = ["network", "bodyLbs", "raster", "losses"] as const
export type Part = (typeof PARTS)[number]

const bodyOps = new Set(["bodyForward", "composeTransforms", "lbs", "transformPoints", "posedPositionMap"])
const lossOps = new Set(["l1", "ssim", "meanSquare", "mean", "psnr"])
/** Reshapes and sums that carry points into and out of the body model. */
const bodyGlue = new Set(["deformed", "deformedBatch", "betasBatch", "world", "poseMap"])

export const partOf = (node: string, op: string): Part =>
  op === "rasterize" ? "raster" : lossOps.has(op) ? "losses" : bodyOps.has(op) || bodyGlue.has(node) ? "bodyLbs" : "network"

const refsOf = (node: NodeSpec): ReadonlyArray<Ref> => Object.values(node.inputs as Record<string, Ref>)

interface StepPlan {
  readonly nodes: ReadonlyArray<string>
  readonly terms: ReadonlyArray<{ readonly ref: Ref; readonly weight: number }>
  /** Nodes whose outputs depend on a trainable param (the tape differentiates through them). */
  readonly differentiable: ReadonlySet<string>
}

const planStep = (compiled: Compiled, clock: Clock): StepPlan => {
  const graph = compiled.checked.graph
  const terms = Object.values(graph.losses as Record<string, LossTerm>)
    .map((t) => ({ ref: t.value, weight: valueAt(t.weight, clock) }))
    .filter((t) => t.weight !== 0)
  const roots = [...terms.map((t) => t.ref), ...Object.values(graph.metrics as Record<string, Ref>), ...Object.values(graph.updates as Record<string, StateUpdate>).map((u) => u.value)]
  const nodes = nodesFor(compiled, roots)
  const trainable = (name: string) => !((graph.params as Record<string, ParamSpec>)[name]?.frozen ?? true)
  const differentiable = new Set<string>()
  const graphNodes = graph.nodes as Record<string, NodeSpec>
  for (const name of nodes) {
    const reads = refsOf(graphNodes[name] as NodeSpec)
    if (reads.some((r) => (r._tag === "Param" && trainable(r.name)) || (r._tag === "Node" && differentiable.has(r.node)))) differentiable.add(name)
  }
  return { nodes, terms, differentiable }
}

/** Inputs of the sample, dense params, and the sample's rows of per-frame params (variables when trainable). */
const stepEnv = (compiled: Compiled, store: ParamStore, sample: Sample): Map<string, tf.Tensor> => {
  const env = sampleTensors(compiled.checked.graph, sample)
  for (const p of store.dense.values()) env.set(`param:${p.name}`, p.variable)
  for (const p of store.frames.values()) {
    const row = tf.tensor(Float32Array.from(frameRow(p, sample.index)), [...p.rowShape])
    env.set(`param:${p.name}`, p.spec.frozen ? row : tf.variable(row, true))
    if (!p.spec.frozen) row.dispose()
  }
  return env
}

interface PartProblem {
  readonly nodes: ReadonlyArray<string>
  /** Other parts' outputs this part reads: variables when differentiated, else the forward values. */
  readonly outside: NodeValues
  readonly wrt: ReadonlyArray<tf.Variable>
  readonly cotangents: ReadonlyArray<{ readonly ref: Ref & { _tag: "Node" }; readonly cotangent: tf.Tensor }>
  readonly terms: ReadonlyArray<{ readonly ref: Ref; readonly weight: number }>
  readonly owned: ReadonlyArray<tf.Tensor>
}

const nodeRef = (r: Ref): r is Ref & { _tag: "Node" } => r._tag === "Node"

const partProblem = (compiled: Compiled, plan: StepPlan, env: ReadonlyMap<string, tf.Tensor>, forward: NodeValues, part: Part, seed: number): PartProblem => {
  const graphNodes = compiled.checked.graph.nodes as Record<string, NodeSpec>
  const inPart = (n: string) => partOf(n, (graphNodes[n] as NodeSpec).op.name) === part
  const nodes = plan.nodes.filter(inPart)
  const owned: tf.Tensor[] = []
  const outside: NodeValues = new Map()
  const wrt = new Set<tf.Variable>()
  for (const ref of nodes.flatMap((n) => refsOf(graphNodes[n] as NodeSpec))) {
    if (ref._tag === "Param") {
      const value = env.get(envKey(ref))
      if (value instanceof tf.Variable && value.trainable) wrt.add(value)
    } else if (nodeRef(ref) && !inPart(ref.node) && !outside.get(ref.node)?.[ref.output]) {
      const value = forward.get(ref.node)?.[ref.output] as tf.Tensor
      const given = plan.differentiable.has(ref.node) && value.dtype === "float32" ? tf.variable(value, true) : value
      if (given instanceof tf.Variable) {
        wrt.add(given)
        owned.push(given)
      }
      outside.set(ref.node, { ...outside.get(ref.node), [ref.output]: given })
    }
  }
  const readLater = new Map<string, Ref & { _tag: "Node" }>()
  for (const ref of plan.nodes.filter((n) => !inPart(n)).flatMap((n) => refsOf(graphNodes[n] as NodeSpec))) {
    if (nodeRef(ref) && inPart(ref.node)) readLater.set(`${ref.node}/${ref.output}`, ref)
  }
  const cotangents = [...readLater.values()].map((ref, k) => {
    const cotangent = tf.randomUniform((forward.get(ref.node)?.[ref.output] as tf.Tensor).shape, -1, 1, "float32", seed + k)
    owned.push(cotangent)
    return { ref, cotangent }
  })
  const terms = plan.terms.filter((t) => nodeRef(t.ref) && inPart(t.ref.node))
  return { nodes, outside, wrt: [...wrt], cotangents, terms, owned }
}

/** One forward + backward of the part; resolves when every gradient is computed. */
const runPart = async (compiled: Compiled, env: ReadonlyMap<string, tf.Tensor>, problem: PartProblem, ctx: OpContext): Promise<void> => {
  const objective = () => {
    const values: NodeValues = new Map(problem.outside)
    evaluateNodes(compiled, env, problem.nodes, ctx, values)
    const read = (r: Ref & { _tag: "Node" }) => values.get(r.node)?.[r.output] as tf.Tensor
    const parts = [
      tf.scalar(0),
      ...problem.cotangents.map(({ ref, cotangent }) => tf.sum(tf.mul(read(ref), cotangent))),
      ...problem.terms.map((t) => tf.mul(read(t.ref as Ref & { _tag: "Node" }), t.weight))
    ]
    return tf.addN(parts) as tf.Scalar
  }
  // A part nothing trainable reaches (none in the avatar graphs) is timed forward only.
  const grads = tf.tidy(() => (problem.wrt.length > 0 ? Object.values(tf.variableGrads(objective, [...problem.wrt]).grads) : [objective()]))
  await Promise.all(grads.map((g) => g.data()))
  tf.dispose(grads)
}

/** Median wall-clock and CPU milliseconds of forward + backward of each part, after one warm-up run each. */
export const timeParts = async (compiled: Compiled, store: ParamStore, sample: Sample, clock: Clock, repeats: number): Promise<Record<Part, Timing> & { readonly nodeCounts: Record<Part, number> }> => {
  const ctx: OpContext = { mode: "train", epoch: clock.epoch, iteration: clock.iteration }
  const plan = planStep(compiled, clock)
  const env = stepEnv(compiled, store, sample)
  const forward: NodeValues = new Map(Object.entries(tf.tidy(() => Object.fromEntries(evaluateNodes(compiled, env, plan.nodes, ctx)))))
  const times = {} as Record<Part, Timing>
  const nodeCounts = {} as Record<Part, number>
  try {
    for (const [k, part] of PARTS.entries()) {
      const problem = partProblem(compiled, plan, env, forward, part, 100 * k)
      nodeCounts[part] = problem.nodes.length
      try {
        times[part] = await timeRuns(() => runPart(compiled, env, problem, ctx), 1, repeats)
      } finally {
        tf.dispose([...problem.owned])
      }
    }
  } finally {
    for (const outputs of forward.values()) tf.dispose(Object.values(outputs))
    for (const [key, t] of env) if (key.startsWith("input:") || !store.dense.has(key.slice("param:".length))) t.dispose()
  }
  return { ...times, nodeCounts }
}
