/**
 * A graph builder: a value that makes a graph, and the constants it needs, from the dataset it will
 * train on (the avatar graphs need the dataset's camera and body shape). `run` accepts one wherever
 * it accepts a graph: run(graphs.stage1, dataset). No tfjs here.
 */
import type { Effect } from "effect"
import type { Dataset, HostTensor } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"

/** Run options a builder chooses (e.g. its preset's epochs and batch size); options given to run() win. */
export interface BuiltOptions {
  readonly epochs?: number
  readonly batchSize?: number
  readonly checkpointEvery?: number
}

export interface Built<G extends AnyGraph = AnyGraph> {
  readonly graph: G
  /** Values of the graph's Given params (run()'s `constants`). */
  readonly constants: { readonly [key: string]: HostTensor }
  readonly options: BuiltOptions
}

export interface GraphBuilder<G extends AnyGraph = AnyGraph, E = unknown> {
  readonly _tag: "GraphBuilder"
  readonly name: string
  readonly build: (dataset: Dataset) => Effect.Effect<Built<G>, E>
}

export const isGraphBuilder = <G extends AnyGraph, E>(value: G | GraphBuilder<G, E>): value is GraphBuilder<G, E> =>
  "_tag" in value && (value as { readonly _tag: unknown })._tag === "GraphBuilder"
