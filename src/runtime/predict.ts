/**
 * predict(state, sample): evaluate a graph's outputs (inference, eval mode)
 * from a trained state, for one sample. Per-frame params take the sample's
 * frame row when it exists, else row `frameFallback` (e.g. a novel pose
 * supplies its own inputs and ignores per-frame corrections).
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { HostTensor, Sample } from "../data/dataset.ts"
import type { AnyGraph, ParamSpec, Ref } from "../dsl/graph.ts"
import { Ops } from "../ops/registry.ts"
import { Backend } from "./backend.ts"
import type { ShapeMismatch } from "./errors.ts"
import { GraphError } from "./errors.ts"
import { evaluateNodes, compile, nodesFor, resolve } from "./execute.ts"
import { sampleTensors } from "./inputs.ts"
import type { TrainedState } from "./state.ts"

const paramTensors = (graph: AnyGraph, state: TrainedState, frame: number): Map<string, tf.Tensor> => {
  const env = new Map<string, tf.Tensor>()
  for (const [name, p] of Object.entries(state.params)) env.set(`param:${name}`, tf.tensor(p.data, [...p.shape]))
  for (const [name, spec] of Object.entries(graph.params as Record<string, ParamSpec>)) {
    const value = spec.init._tag === "Given" ? state.constants[spec.init.key] : undefined
    if (value) env.set(`param:${name}`, spec.dtype === "int32" ? tf.tensor(Int32Array.from(value.data), [...value.shape], "int32") : tf.tensor(Float32Array.from(value.data), [...value.shape]))
  }
  for (const [name, p] of Object.entries(state.frameParams)) {
    const [frames, ...row] = p.shape as [number, ...number[]]
    const size = row.reduce((a, b) => a * b, 1)
    const f = Math.min(Math.max(frame, 0), frames - 1)
    env.set(`param:${name}`, tf.tensor(p.data.slice(f * size, (f + 1) * size), row))
  }
  return env
}

/** Outputs named in `outputs` (default: all of the graph's outputs), on the host. */
export const predict = <G extends AnyGraph>(graph: G, state: TrainedState, sample: Sample, outputs?: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const compiled = yield* compile(graph, yield* Ops, (yield* Backend).target)
    const wanted = outputs ?? Object.keys(graph.outputs)
    const refs: Ref[] = []
    for (const name of wanted) {
      const ref = (graph.outputs as Record<string, Ref>)[name]
      if (!ref) return yield* new GraphError({ graph: graph.name, where: `output "${name}"`, reason: "not an output of this graph" })
      refs.push(ref)
    }
    return yield* Effect.promise(async () => {
      const env = new Map([...sampleTensors(graph, sample), ...paramTensors(graph, state, sample.index)])
      try {
        const results = tf.tidy(() => {
          const values = evaluateNodes(compiled, env, nodesFor(compiled, refs), { mode: "eval", epoch: state.epoch, iteration: state.step })
          return refs.map((r) => tf.clone(resolve(r, env, values)))
        })
        const host: Record<string, HostTensor> = {}
        for (const [i, t] of results.entries()) {
          host[wanted[i] as string] = { shape: t.shape, data: Float32Array.from((await t.data()) as Float32Array) }
          t.dispose()
        }
        return host
      } finally {
        tf.dispose([...env.values()])
      }
    })
  }) as Effect.Effect<Record<string, HostTensor>, GraphError | ShapeMismatch, Ops>
