/**
 * Graph specs: immutable values describing inputs (per-sample data), params
 * (trainable tensors), nodes (ops with named inputs and attributes), weighted
 * loss terms, metrics and outputs. A graph never touches a tensor: the
 * runtime compiles and executes it.
 */
import type { AnyOpSpec, AttrsOf, Wired } from "./op.ts"
import type { Scalar } from "./schedule.ts"
import type { DType, Port, Shape } from "./shape.ts"

/** Where a node input comes from. */
export type Ref =
  | { readonly _tag: "Input"; readonly name: string }
  | { readonly _tag: "Param"; readonly name: string }
  | { readonly _tag: "Node"; readonly node: string; readonly output: string }

export const input = (name: string): Ref => ({ _tag: "Input", name })
export const param = (name: string): Ref => ({ _tag: "Param", name })
/** The output `output` of node `node`; ops with one output call it "out". */
export const out = (node: string, output = "out"): Ref => ({ _tag: "Node", node, output })

export const formatRef = (ref: Ref): string => {
  switch (ref._tag) {
    case "Input":
      return `input "${ref.name}"`
    case "Param":
      return `param "${ref.name}"`
    case "Node":
      return `node "${ref.node}" output "${ref.output}"`
  }
}

/** How a param's values are first set. Random inits draw from the run's seeded generator. */
export type Init =
  | { readonly _tag: "Zeros" }
  | { readonly _tag: "Constant"; readonly value: number }
  | { readonly _tag: "Normal"; readonly mean: number; readonly std: number }
  | { readonly _tag: "Uniform"; readonly low: number; readonly high: number }
  /** Glorot/Xavier uniform: limit sqrt(6 / (fanIn + fanOut)), fans from the first and last dimensions. */
  | { readonly _tag: "GlorotUniform" }
  /** Per-frame params only: each row starts from the dataset's per-frame field `key` (e.g. the body fit's pose). */
  | { readonly _tag: "FromDataset"; readonly key: string }
  /**
   * The values given to run() as constants[key]. A dense param must then be frozen and is not
   * checkpointed (a body model's arrays, UV query points); a per-frame param takes its rows from
   * constants[key] [frames, ...row] (a body fit smoothed along time) and may be trained.
   */
  | { readonly _tag: "Given"; readonly key: string }

export const zeros: Init = { _tag: "Zeros" }
export const normal = (std: number, mean = 0): Init => ({ _tag: "Normal", mean, std })
export const uniform = (low: number, high: number): Init => ({ _tag: "Uniform", low, high })
export const glorotUniform: Init = { _tag: "GlorotUniform" }
export const fromDataset = (key: string): Init => ({ _tag: "FromDataset", key })
export const given = (key: string): Init => ({ _tag: "Given", key })
export const constantInit = (value: number): Init => ({ _tag: "Constant", value })

export interface ParamSpec {
  /** Shape of the param; for a per-frame param, the shape of ONE frame's row. */
  readonly shape: Shape
  readonly init: Init
  /** Optimiser group (learning rate and schedule) this param belongs to. */
  readonly group: string
  /** A frozen param is never updated; it still takes part in the forward pass. */
  readonly frozen: boolean
  /** One row per dataset frame; a node sees the row of the sample being evaluated, and only rows in the batch are updated. */
  readonly perFrame: boolean
  /** float32, or int32 for frozen index tables. */
  readonly dtype: DType
}

/** Defaults: group "default", not frozen, not per-frame, float32. */
export const paramSpec = (shape: Shape, init: Init, options: Partial<Omit<ParamSpec, "shape" | "init">> = {}): ParamSpec => ({
  shape,
  init,
  group: options.group ?? "default",
  frozen: options.frozen ?? false,
  perFrame: options.perFrame ?? false,
  dtype: options.dtype ?? "float32"
})

/** A frozen param whose values run() receives as constants[key] (default: the param's own name). */
export const constantParam = (shape: Shape, key: string, dtype: DType = "float32"): ParamSpec =>
  paramSpec(shape, { _tag: "Given", key }, { frozen: true, dtype })

/** An Adam optimiser group. */
export interface GroupSpec {
  readonly lr: Scalar
  /** Adam betas; default [0.9, 0.999]. */
  readonly betas: readonly [number, number]
  /** Adam epsilon; default 1e-8 (1e-15 as in 3DGS codes is also common). */
  readonly eps: number
}

export const group = (lr: Scalar, options: Partial<Omit<GroupSpec, "lr">> = {}): GroupSpec => ({
  lr,
  betas: options.betas ?? [0.9, 0.999],
  eps: options.eps ?? 1e-8
})

export interface NodeSpec<S extends AnyOpSpec = AnyOpSpec> {
  readonly op: S
  readonly inputs: Wired<S, Ref>
  readonly attrs: AttrsOf<S>
}

/** A node: the op's input names and attribute type are checked by the compiler (optional inputs: by typecheck, against the mode). */
export const node = <S extends AnyOpSpec>(op: S, inputs: Wired<S, Ref>, attrs: AttrsOf<S>): NodeSpec<S> => ({
  op,
  inputs,
  attrs
})

/** A weighted loss term: `weight * value`, where value is a scalar node output. */
export interface LossTerm {
  readonly value: Ref
  readonly weight: Scalar
}

export const loss = (value: Ref, weight: Scalar = 1): LossTerm => ({ value, weight })

/**
 * A non-trainable param folded towards a node output after every training step:
 * param <- (1 - momentum) * param + momentum * mean over the batch of value
 * (BatchNorm's running statistics; PyTorch's momentum 0.1). The param must be frozen.
 */
export interface StateUpdate {
  readonly value: Ref
  readonly momentum: number
}

export const update = (value: Ref, momentum = 0.1): StateUpdate => ({ value, momentum })

/** The names a graph defines, as string-literal unions, so that edits are checked by the compiler. */
export interface Names {
  readonly inputs: string
  readonly params: string
  readonly groups: string
  readonly nodes: string
  readonly losses: string
  readonly metrics: string
  readonly outputs: string
}

export interface Graph<K extends Names = Names> {
  readonly name: string
  /** Sizes of graph-level symbols known at definition time (e.g. hidden width). Other symbols are bound from data at run time. */
  readonly dims: { readonly [d: string]: number }
  /** Per-sample data, without a batch dimension: the runtime evaluates the graph once per sample of a batch. */
  readonly inputs: { readonly [k in K["inputs"]]: Port }
  readonly params: { readonly [k in K["params"]]: ParamSpec }
  readonly groups: { readonly [k in K["groups"]]: GroupSpec }
  readonly nodes: { readonly [k in K["nodes"]]: NodeSpec }
  /** Summed, each times its weight, into the training objective (mean over the batch). */
  readonly losses: { readonly [k in K["losses"]]: LossTerm }
  /** Scalars reported with progress (e.g. PSNR), not optimised. */
  readonly metrics: { readonly [k in K["metrics"]]: Ref }
  /** What inference returns. */
  readonly outputs: { readonly [k in K["outputs"]]: Ref }
  /** Running statistics, by the (frozen) param they update. */
  readonly updates: { readonly [param: string]: StateUpdate }
}

export type AnyGraph = Graph<Names>

/**
 * A graph that has at least these nodes and params: what an edit relies on. An edit typed
 * `<G extends Having<"render">>(graph: G) => G` is checked by the compiler where it is applied,
 * against the graph's own names.
 */
export type Having<N extends string = never, P extends string = never> = AnyGraph & {
  readonly nodes: { readonly [k in N]: NodeSpec }
  readonly params: { readonly [k in P]: ParamSpec }
}

export interface GraphDefinition<In extends string, P extends string, G extends string, N extends string, L extends string, M extends string, O extends string> {
  readonly name: string
  readonly dims?: { readonly [d: string]: number }
  readonly inputs: { readonly [k in In]: Port }
  readonly params: { readonly [k in P]: ParamSpec }
  readonly groups: { readonly [k in G]: GroupSpec }
  readonly nodes: { readonly [k in N]: NodeSpec }
  readonly losses: { readonly [k in L]: LossTerm }
  readonly metrics?: { readonly [k in M]: Ref }
  readonly outputs?: { readonly [k in O]: Ref }
  readonly updates?: { readonly [param: string]: StateUpdate }
}

/** Freeze a value and everything it holds, except typed arrays (which cannot be frozen; e.g. weights held in an attribute). */
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/** Define a graph. The result is deeply frozen; variants are made with the edits of edit.ts. */
export const defineGraph = <In extends string, P extends string, G extends string, N extends string, L extends string, M extends string = never, O extends string = never>(
  definition: GraphDefinition<In, P, G, N, L, M, O>
): Graph<{ inputs: In; params: P; groups: G; nodes: N; losses: L; metrics: M; outputs: O }> =>
  deepFreeze({
    name: definition.name,
    dims: definition.dims ?? {},
    inputs: definition.inputs,
    params: definition.params,
    groups: definition.groups,
    nodes: definition.nodes,
    losses: definition.losses,
    metrics: (definition.metrics ?? {}) as { readonly [k in M]: Ref },
    outputs: (definition.outputs ?? {}) as { readonly [k in O]: Ref },
    updates: definition.updates ?? {}
  })

/** Internal: rebuild a frozen graph from a plain object. */
export const freezeGraph = <K extends Names>(graph: Graph<K>): Graph<K> => deepFreeze(graph)

export const entries = <V>(record: { readonly [k: string]: V }): ReadonlyArray<readonly [string, V]> => Object.entries(record)
