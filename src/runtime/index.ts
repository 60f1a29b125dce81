/**
 * The runtime's public face. `run` and `predict` are Effects needing the
 * Backend, Ops and Progress services; `runPromise` and `predictPromise`
 * provide default layers (wasm backend, built-in ops, a progress bar) for
 * plain scripts.
 */
import { Effect, Layer } from "effect"
import type { Dataset, Sample } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import type { GraphBuilder } from "../graphs/builder.ts"
import { BuiltinOps } from "../ops/registry.ts"
import type { BackendName } from "./backend.ts"
import { BackendLive } from "./backend.ts"
import type { RunOptionsInput } from "./options.ts"
import { predict } from "./predict.ts"
import { ProgressBar, ProgressLog, ProgressSilent } from "./progress.ts"
import { run } from "./run.ts"
import type { TrainedState } from "./state.ts"

export * from "./backend.ts"
export * from "./errors.ts"
export * from "./progress.ts"
export { run, checkpointFile } from "./run.ts"
export { predict } from "./predict.ts"
export type { TrainedState } from "./state.ts"
export { RunOptions } from "./options.ts"
export type { RunOptionsInput } from "./options.ts"

export interface PromiseOptions {
  /** Default "wasm". */
  readonly backend?: BackendName
  /** Default "bar" (a log line every 10 steps when stderr is not a terminal). */
  readonly progress?: "bar" | "log" | "silent"
}

const layers = (options: PromiseOptions) =>
  Layer.mergeAll(
    BackendLive(options.backend ?? "wasm"),
    BuiltinOps,
    options.progress === "silent" ? ProgressSilent : options.progress === "log" ? ProgressLog(10) : ProgressBar
  )

export const runPromise = <G extends AnyGraph, E = never>(graph: G | GraphBuilder<G, E>, dataset: Dataset, options: RunOptionsInput & PromiseOptions = {}): Promise<TrainedState<G>> => {
  const { backend, progress, ...runOptions } = options
  return Effect.runPromise(run(graph, dataset, runOptions).pipe(Effect.provide(layers({ backend, progress }))))
}

export const predictPromise = (graph: AnyGraph, state: TrainedState, sample: Sample, options: PromiseOptions = {}) =>
  Effect.runPromise(predict(graph, state, sample).pipe(Effect.provide(layers(options))))
