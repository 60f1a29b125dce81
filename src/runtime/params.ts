/**
 * The param store of a run: dense params as tfjs variables; per-frame params
 * as host tables [frames, ...row] of which only the rows of the current batch
 * become tensors (and are updated, like SparseAdam). A per-frame param takes its
 * first values from the dataset (FromDataset), from the run's constants
 * (Given: [frames, ...row]; unlike a dense Given param it may be trained and is
 * checkpointed), or from its initialiser, row by row.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect, Option } from "effect"
import type { Dataset, HostTensor } from "../data/dataset.ts"
import type { AnyGraph, ParamSpec } from "../dsl/graph.ts"
import { isConcrete } from "../dsl/shape.ts"
import { GraphError } from "./errors.ts"
import { DatasetError } from "../data/errors.ts"
import { initialValues } from "./init.ts"
import type { Rng } from "../math/rng.ts"

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

/** Values for Given params, by key. */
export type Constants = { readonly [key: string]: HostTensor }

/** Dense Given (constant) params are neither optimised nor checkpointed: run() receives them again. */
export const isGiven = (p: { readonly spec: ParamSpec }): boolean => p.spec.init._tag === "Given" && !p.spec.perFrame

const givenValues = (name: string, spec: ParamSpec, shape: ReadonlyArray<number>, constants: Constants): Effect.Effect<tf.Tensor, DatasetError> => {
  const key = spec.init._tag === "Given" ? spec.init.key : name
  const value = constants[key]
  const size = shape.reduce((a, b) => a * b, 1)
  if (!value) return Effect.fail(new DatasetError({ file: `constants.${key}`, reason: `missing: param "${name}" needs it (shape [${shape.join(", ")}])` }))
  if (value.data.length !== size)
    return Effect.fail(new DatasetError({ file: `constants.${key}`, reason: `has shape [${value.shape.join(", ")}], param "${name}" needs [${shape.join(", ")}]` }))
  const data = spec.dtype === "int32" ? Int32Array.from(value.data) : Float32Array.from(value.data)
  return Effect.succeed(tf.tensor(data, [...shape], spec.dtype))
}

const concreteShape = (graph: AnyGraph, name: string, spec: ParamSpec): Effect.Effect<ReadonlyArray<number>, GraphError> => {
  const shape = spec.shape.map((d) => (typeof d === "string" && d in graph.dims ? (graph.dims[d] as number) : d))
  return isConcrete(shape)
    ? Effect.succeed(shape)
    : Effect.fail(new GraphError({ graph: graph.name, where: `param "${name}"`, reason: `shape ${JSON.stringify(shape)} has symbols that graph.dims does not define` }))
}

/** A per-frame param's table from the run's constants ([frames, ...row]; e.g. a body fit smoothed along time by the graph builder). */
const givenTable = (dataset: Dataset, name: string, key: string, rowShape: ReadonlyArray<number>, constants: Constants): Effect.Effect<Float32Array, DatasetError> => {
  const value = constants[key]
  const size = dataset.size * rowShape.reduce((a, b) => a * b, 1)
  if (!value) return Effect.fail(new DatasetError({ file: `constants.${key}`, reason: `missing: per-frame param "${name}" needs it (shape [${dataset.size}, ${rowShape.join(", ")}])` }))
  if (value.data.length !== size)
    return Effect.fail(new DatasetError({ file: `constants.${key}`, reason: `has shape [${value.shape.join(", ")}], per-frame param "${name}" needs [${dataset.size}, ${rowShape.join(", ")}]` }))
  return Effect.succeed(Float32Array.from(value.data))
}

const frameTable = (dataset: Dataset, name: string, spec: ParamSpec, rowShape: ReadonlyArray<number>, rng: Rng, constants: Constants): Effect.Effect<Float32Array, DatasetError> => {
  const rowSize = rowShape.reduce((a, b) => a * b, 1)
  if (spec.init._tag === "Given") return givenTable(dataset, name, spec.init.key, rowShape, constants)
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
export const createParams = (graph: AnyGraph, dataset: Dataset, rng: Rng, constants: Constants = {}): Effect.Effect<ParamStore, GraphError | DatasetError> =>
  Effect.gen(function* () {
    const dense = new Map<string, DenseParam>()
    const frames = new Map<string, FrameParam>()
    for (const [name, spec] of Object.entries(graph.params as Record<string, ParamSpec>)) {
      const shape = yield* concreteShape(graph, name, spec)
      if (spec.perFrame) {
        const table = yield* frameTable(dataset, name, spec, shape, rng, constants)
        frames.set(name, { name, spec, rowShape: shape, rowSize: shape.reduce((a, b) => a * b, 1), frames: dataset.size, table })
      } else {
        const initial = spec.init._tag === "Given" ? yield* givenValues(name, spec, shape, constants) : tf.tensor(initialValues(spec.init, shape, rng), [...shape])
        const variable = tf.variable(initial, !spec.frozen, uniqueVariableName(graph.name, name))
        initial.dispose()
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

/** tfjs variable names are global and several runs may live in one process: the first name not registered yet. */
const uniqueVariableName = (graphName: string, param: string): string => {
  const taken = tf.engine().registeredVariables
  const base = `${graphName}/${param}`
  let k = 0
  while (`${base}#${k}` in taken) k++
  return `${base}#${k}`
}

/**
 * Start from another run's values: every dense or per-frame param whose name and size match one of
 * `from` takes its values (stage 2 starts from stage 1's feature tensor, decoder and refined poses).
 * Returns the names taken.
 */
export const seedParams = (store: ParamStore, from: { readonly params: Readonly<Record<string, HostTensor>>; readonly frameParams: Readonly<Record<string, HostTensor>> }): ReadonlyArray<string> => {
  const taken: string[] = []
  for (const p of store.dense.values()) {
    const value = from.params[p.name]
    if (!value || value.data.length !== p.variable.size) continue
    tf.tidy(() => p.variable.assign(tf.tensor(Float32Array.from(value.data), [...p.shape])))
    taken.push(p.name)
  }
  for (const p of store.frames.values()) {
    const value = from.frameParams[p.name]
    if (!value || value.data.length !== p.table.length) continue
    p.table.set(value.data)
    taken.push(p.name)
  }
  return taken
}
