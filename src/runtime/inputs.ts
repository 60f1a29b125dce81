/**
 * Turn a dataset sample into the graph's input tensors, checking each
 * against its declared port. Graph symbols (e.g. "H", "W") are bound by the
 * first sample and must agree for every later one.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { Sample } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import type { Dim, Port } from "../dsl/shape.ts"
import { unify } from "../dsl/typecheck.ts"
import { ShapeMismatch } from "./errors.ts"
import { DatasetError } from "../data/errors.ts"

/** Bindings of graph-level symbols, shared by all samples of a run. */
export type DimBindings = Map<string, Dim | ReadonlyArray<Dim>>

export const checkSample = (graph: AnyGraph, datasetName: string, sample: Sample, bindings: DimBindings): Effect.Effect<void, DatasetError | ShapeMismatch> =>
  Effect.gen(function* () {
    for (const [name, port] of Object.entries(graph.inputs as Record<string, Port>)) {
      const host = sample.tensors[name]
      if (!host) return yield* new DatasetError({ file: datasetName, reason: `frame ${sample.index} has no field "${name}" (graph "${graph.name}" needs it)` })
      const declared = port.shape.map((d) => (typeof d === "string" && d in graph.dims ? (graph.dims[d] as number) : d))
      const trial = new Map(bindings)
      const problem = unify(declared, host.shape, trial)
      if (problem)
        return yield* new ShapeMismatch({ graph: graph.name, node: `input:${name}`, port: name, expected: declared, actual: host.shape, detail: `${problem} (frame ${sample.index} of ${datasetName})` })
      for (const [k, v] of trial) bindings.set(k, v)
    }
  })

/** Input tensors of one sample, keyed like Env ("input:<name>"). The caller disposes them. */
export const sampleTensors = (graph: AnyGraph, sample: Sample): Map<string, tf.Tensor> => {
  const env = new Map<string, tf.Tensor>()
  for (const [name, port] of Object.entries(graph.inputs as Record<string, Port>)) {
    const host = sample.tensors[name]
    if (!host) continue
    const data = port.dtype === "int32" ? Int32Array.from(host.data) : host.data instanceof Float32Array ? host.data : Float32Array.from(host.data)
    env.set(`input:${name}`, tf.tensor(data, [...host.shape], port.dtype))
  }
  return env
}
