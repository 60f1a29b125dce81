/**
 * The param store of a run: dense params as tfjs variables; per-frame params
 * as host tables [frames, ...row] of which only the rows of the current batch
 * become tensors (and are updated, like SparseAdam).
 */
import * as tf from "@tensorflow/tfjs"
import { Effect, Option } from "effect"
import type { Dataset } from "../data/dataset.ts"
import type { AnyGraph, ParamSpec } from "../dsl/graph.ts"
import { isConcrete } from "../dsl/shape.ts"
import { DatasetError, GraphError } from "./errors.ts"
import { initialValues } from "./init.ts"
import type { Rng } from "./rng.ts"

export interface DenseParam {
  readonly name: string
  readonly spec: ParamSpec
  readonly shape: ReadonlyArray<number>
  readonly variable: tf.Variable
}

export interface FrameParam {
  readonly name: string
  readonly spec: ParamSpec
  readonly rowShape: ReadonlyArray<number>
  readonly rowSize: number
  readonly frames: number
  /** [frames * rowSize], row-major. */
  readonly table: Float32Array
}

export interface ParamStore {
  readonly dense: ReadonlyMap<string, DenseParam>
  readonly frames: ReadonlyMap<string, FrameParam>
}

const concreteShape = (graph: AnyGraph, name: string, spec: ParamSpec): Effect.Effect<ReadonlyArray<number>, GraphError> => {
  const shape = spec.shape.map((d) => (typeof d === "string" && d in graph.dims ? (graph.dims[d] as number) : d))
  return isConcrete(shape)
    ? Effect.succeed(shape)
    : Effect.fail(new GraphError({ graph: graph.name, where: `param "${name}"`, reason: `shape ${JSON.stringify(shape)} has symbols that graph.dims does not define` }))
}

const frameTable = (dataset: Dataset, name: string, spec: ParamSpec, rowShape: ReadonlyArray<number>, rng: Rng): Effect.Effect<Float32Array, DatasetError> => {
  const rowSize = rowShape.reduce((a, b) => a * b, 1)
  if (spec.init._tag !== "FromDataset") {
    const table = new Float32Array(dataset.size * rowSize)
    for (let f = 0; f < dataset.size; f++) table.set(initialValues(spec.init, rowShape, rng), f * rowSize)
    return Effect.succeed(table)
  }
  const key = spec.init.key
  return Option.match(dataset.perFrame(key), {
    onNone: () => Effect.fail(new DatasetError({ file: dataset.name, reason: `per-frame field "${key}" (for param "${name}") is missing` })),
    onSome: (field) =>
      field.data.length === dataset.size * rowSize
        ? Effect.succeed(Float32Array.from(field.data))
        : Effect.fail(
            new DatasetError({
              file: dataset.name,
              reason: `per-frame field "${key}" has shape ${JSON.stringify(field.shape)}, param "${name}" needs [${dataset.size}, ${rowShape.join(", ")}]`
            })
          )
  })
}

/** Create every param of the graph. Dispose with disposeParams. */
export const createParams = (graph: AnyGraph, dataset: Dataset, rng: Rng): Effect.Effect<ParamStore, GraphError | DatasetError> =>
  Effect.gen(function* () {
    const dense = new Map<string, DenseParam>()
    const frames = new Map<string, FrameParam>()
    for (const [name, spec] of Object.entries(graph.params as Record<string, ParamSpec>)) {
      const shape = yield* concreteShape(graph, name, spec)
      if (spec.perFrame) {
        const table = yield* frameTable(dataset, name, spec, shape, rng)
        frames.set(name, { name, spec, rowShape: shape, rowSize: shape.reduce((a, b) => a * b, 1), frames: dataset.size, table })
      } else {
        const variable = tf.variable(tf.tensor(initialValues(spec.init, shape, rng), [...shape]), !spec.frozen, uniqueVariableName(graph.name, name))
        dense.set(name, { name, spec, shape, variable })
      }
    }
    return { dense, frames }
  })

export const disposeParams = (store: ParamStore): void => {
  for (const p of store.dense.values()) p.variable.dispose()
}

/** The rows of a per-frame param for one frame. */
export const frameRow = (param: FrameParam, frame: number): Float32Array => param.table.subarray(frame * param.rowSize, (frame + 1) * param.rowSize)

let variableCounter = 0
/** tfjs variable names are global; several runs may live in one process. */
const uniqueVariableName = (graphName: string, param: string): string => `${graphName}/${param}#${variableCounter++}`
