/**
 * predict(state, sample): evaluate a graph's outputs (inference, eval mode)
 * from a trained state, for one sample. Per-frame params take the sample's
 * frame row when it exists, else row `frameFallback` (e.g. a novel pose
 * supplies its own inputs and ignores per-frame corrections).
 *
 * predictor(graph, state, outputs) is the same for many samples (eval and render
 * over a sequence): it compiles the graph once, uploads the params once, and
 * evaluates once the nodes that read no input and no per-frame param (in the
 * avatar graphs: the feature tensor's convolutions; in stage 1 the whole network),
 * keeping their outputs that later nodes read; each sample then evaluates only
 * the nodes that depend on it. Same values as predict() per sample. Scoped: the
 * kept tensors are freed when the scope closes.
 */
import * as tf from "@tensorflow/tfjs"
import type { Scope } from "effect"
import { Effect } from "effect"
import type { HostTensor, Sample } from "../data/dataset.ts"
import type { AnyGraph, NodeSpec, ParamSpec, Ref } from "../dsl/graph.ts"
import type { OpContext } from "../ops/contract.ts"
import { Ops } from "../ops/registry.ts"
import { Backend } from "./backend.ts"
import type { ShapeMismatch } from "./errors.ts"
import { GraphError } from "./errors.ts"
import type { Compiled, Env, NodeValues } from "./execute.ts"
import { compile, evaluateNodes, nodesFor, resolve } from "./execute.ts"
import { sampleTensors } from "./inputs.ts"
import type { TrainedState } from "./state.ts"

/** Trained params and the graph's given constants, as tensors. */
const fixedParamTensors = (graph: AnyGraph, state: TrainedState): Map<string, tf.Tensor> => {
  const env = new Map<string, tf.Tensor>()
  for (const [name, p] of Object.entries(state.params)) env.set(`param:${name}`, tf.tensor(p.data, [...p.shape]))
  for (const [name, spec] of Object.entries(graph.params as Record<string, ParamSpec>)) {
    const value = spec.init._tag === "Given" ? state.constants[spec.init.key] : undefined
    if (value) env.set(`param:${name}`, spec.dtype === "int32" ? tf.tensor(Int32Array.from(value.data), [...value.shape], "int32") : tf.tensor(Float32Array.from(value.data), [...value.shape]))
  }
  return env
}

/** Row `frame` (clamped) of every per-frame param. */
const frameParamTensors = (state: TrainedState, frame: number): Map<string, tf.Tensor> => {
  const env = new Map<string, tf.Tensor>()
  for (const [name, p] of Object.entries(state.frameParams)) {
    const [frames, ...row] = p.shape as [number, ...number[]]
    const size = row.reduce((a, b) => a * b, 1)
    const f = Math.min(Math.max(frame, 0), frames - 1)
    env.set(`param:${name}`, tf.tensor(p.data.slice(f * size, (f + 1) * size), row))
  }
  return env
}

const refsOf = (node: NodeSpec): ReadonlyArray<Ref> => Object.values(node.inputs as Record<string, Ref>)

/** The nodes (in order) whose value depends on a graph input or a per-frame param, directly or through another node. */
export const perSampleNodes = (graph: AnyGraph, order: ReadonlyArray<string>, frameParams: ReadonlySet<string>): ReadonlySet<string> => {
  const varying = new Set<string>()
  const nodes = graph.nodes as Record<string, NodeSpec>
  const varies = (ref: Ref): boolean => (ref._tag === "Input" ? true : ref._tag === "Param" ? frameParams.has(ref.name) : varying.has(ref.node))
  for (const name of order) if (refsOf(nodes[name] as NodeSpec).some(varies)) varying.add(name)
  return varying
}

/** The outputs of the fixed nodes that a per-sample node or a wanted output reads. */
const fixedOutputsRead = (graph: AnyGraph, varying: ReadonlySet<string>, order: ReadonlyArray<string>, wanted: ReadonlyArray<Ref>): ReadonlyArray<{ node: string; output: string }> => {
  const nodes = graph.nodes as Record<string, NodeSpec>
  const readers = [...order.filter((n) => varying.has(n)).flatMap((n) => refsOf(nodes[n] as NodeSpec)), ...wanted]
  const keys = new Map<string, { node: string; output: string }>()
  for (const ref of readers) if (ref._tag === "Node" && !varying.has(ref.node)) keys.set(`${ref.node}/${ref.output}`, { node: ref.node, output: ref.output })
  return [...keys.values()]
}

/** Evaluate the fixed nodes once; keep only their outputs that later work reads (the caller disposes them). */
const evaluateFixed = (compiled: Compiled, env: Env, order: ReadonlyArray<string>, varying: ReadonlySet<string>, keep: ReadonlyArray<{ node: string; output: string }>, ctx: OpContext): NodeValues => {
  const kept: NodeValues = new Map()
  tf.tidy(() => {
    const values = evaluateNodes(compiled, env, order.filter((n) => !varying.has(n)), ctx)
    for (const { node, output } of keep) kept.set(node, { ...kept.get(node), [output]: tf.keep(values.get(node)?.[output] as tf.Tensor) })
  })
  return kept
}

export interface Predictor {
  /** The wanted outputs for one sample, on the host. */
  readonly run: (sample: Sample) => Effect.Effect<Record<string, HostTensor>>
}

const wantedRefs = (graph: AnyGraph, wanted: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Ref>, GraphError> =>
  Effect.forEach(wanted, (name) => {
    const ref = (graph.outputs as Record<string, Ref>)[name]
    return ref ? Effect.succeed(ref) : Effect.fail(new GraphError({ graph: graph.name, where: `output "${name}"`, reason: "not an output of this graph" }))
  })

const toHost = async (wanted: ReadonlyArray<string>, results: ReadonlyArray<tf.Tensor>): Promise<Record<string, HostTensor>> => {
  const host: Record<string, HostTensor> = {}
  for (const [i, t] of results.entries()) {
    host[wanted[i] as string] = { shape: t.shape, data: Float32Array.from((await t.data()) as Float32Array) }
    t.dispose()
  }
  return host
}

/** A predictor for `outputs` (default all) of `graph` with `state`; its tensors live until the scope closes. */
export const predictor = <G extends AnyGraph>(graph: G, state: TrainedState, outputs?: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const compiled = yield* compile(graph, yield* Ops, (yield* Backend).target)
    const wanted = outputs ?? Object.keys(graph.outputs)
    const refs = yield* wantedRefs(graph, wanted)
    const order = nodesFor(compiled, refs)
    const ctx: OpContext = { mode: "eval", epoch: state.epoch, iteration: state.step }
    const varying = perSampleNodes(graph, order, new Set(Object.keys(state.frameParams)))
    const params = yield* Effect.acquireRelease(
      Effect.sync(() => fixedParamTensors(graph, state)),
      (env) => Effect.sync(() => tf.dispose([...env.values()]))
    )
    const fixed = yield* Effect.acquireRelease(
      Effect.sync(() => evaluateFixed(compiled, params, order, varying, fixedOutputsRead(graph, varying, order, refs), ctx)),
      (values) => Effect.sync(() => tf.dispose([...values.values()].flatMap((v) => Object.values(v))))
    )
    const perSample = order.filter((n) => varying.has(n))
    const run = (sample: Sample) =>
      Effect.promise(async () => {
        const own = new Map([...sampleTensors(graph, sample), ...frameParamTensors(state, sample.index)])
        const env = new Map([...params, ...own])
        try {
          const results = tf.tidy(() => {
            const values = evaluateNodes(compiled, env, perSample, ctx, new Map(fixed))
            return refs.map((r) => tf.clone(resolve(r, env, values)))
          })
          return await toHost(wanted, results)
        } finally {
          tf.dispose([...own.values()])
        }
      })
    const made: Predictor = { run }
    return made
  }) as Effect.Effect<Predictor, GraphError | ShapeMismatch, Ops | Backend | Scope.Scope>

/** Outputs named in `outputs` (default: all of the graph's outputs), on the host: the whole graph for one sample. */
export const predict = <G extends AnyGraph>(graph: G, state: TrainedState, sample: Sample, outputs?: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const compiled = yield* compile(graph, yield* Ops, (yield* Backend).target)
    const wanted = outputs ?? Object.keys(graph.outputs)
    const refs = yield* wantedRefs(graph, wanted)
    return yield* Effect.promise(async () => {
      const env = new Map([...sampleTensors(graph, sample), ...fixedParamTensors(graph, state), ...frameParamTensors(state, sample.index)])
      try {
        const results = tf.tidy(() => {
          const values = evaluateNodes(compiled, env, nodesFor(compiled, refs), { mode: "eval", epoch: state.epoch, iteration: state.step })
          return refs.map((r) => tf.clone(resolve(r, env, values)))
        })
        return await toHost(wanted, results)
      } finally {
        tf.dispose([...env.values()])
      }
    })
  }) as Effect.Effect<Record<string, HostTensor>, GraphError | ShapeMismatch, Ops>
