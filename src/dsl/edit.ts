/**
 * Typed edits: a variant of a graph is the original plus a few edits, never a
 * copy of its code. Names are checked by the compiler against the graph's own
 * names; each edit returns a new frozen graph and leaves the original alone.
 */
import type { Scalar } from "./schedule.ts"
import type { Graph, GroupSpec, LossTerm, Names, NodeSpec, ParamSpec, Ref } from "./graph.ts"
import { freezeGraph } from "./graph.ts"
import type { Port } from "./shape.ts"

type With<K extends Names, F extends keyof Names, N extends string> = Omit<K, F> & { readonly [P in F]: K[F] | N }
type Without<K extends Names, F extends keyof Names, N extends string> = Omit<K, F> & { readonly [P in F]: Exclude<K[F], N> }

const singular: Record<keyof Names, string> = {
  inputs: "input",
  params: "param",
  groups: "group",
  nodes: "node",
  losses: "loss",
  metrics: "metric",
  outputs: "output"
}

const requireName = (graph: Graph<Names>, section: keyof Names, name: string): void => {
  if (!(name in graph[section])) throw new Error(`graph "${graph.name}" has no ${singular[section]} "${name}"`)
}

const setIn = <K extends Names, R extends Names>(graph: Graph<K>, section: keyof Names, name: string, value: unknown): Graph<R> =>
  freezeGraph({ ...graph, [section]: { ...graph[section], [name]: value } } as unknown as Graph<R>)

const removeFrom = <K extends Names, R extends Names>(graph: Graph<K>, section: keyof Names, name: string): Graph<R> => {
  const { [name]: _removed, ...rest } = graph[section] as Record<string, unknown>
  return freezeGraph({ ...graph, [section]: rest } as unknown as Graph<R>)
}

/**
 * The result of edits of `original` that only added names, or changed what existing names hold: it
 * still has every name of `original`, so it keeps its type (a variant returns what it was given).
 */
export const keepsNames = <G extends Graph<Names>>(_original: G, edited: Graph<Names>): G => edited as G

export const rename = <K extends Names>(graph: Graph<K>, name: string): Graph<K> => freezeGraph({ ...graph, name })

/** Replace an existing node by another (same name, so references to it still hold). */
export const replaceNode = <K extends Names>(graph: Graph<K>, name: K["nodes"], spec: NodeSpec): Graph<K> => {
  requireName(graph, "nodes", name)
  return setIn(graph, "nodes", name, spec)
}

export const addNode = <K extends Names, N extends string>(graph: Graph<K>, name: N, spec: NodeSpec): Graph<With<K, "nodes", N>> => {
  if (name in graph.nodes) throw new Error(`graph "${graph.name}" already has a node "${name}"`)
  return setIn(graph, "nodes", name, spec)
}

/** Remove a node; typecheck() reports anything that still refers to it. */
export const dropNode = <K extends Names, N extends K["nodes"]>(graph: Graph<K>, name: N): Graph<Without<K, "nodes", N>> => {
  requireName(graph, "nodes", name)
  return removeFrom(graph, "nodes", name)
}

export const dropLoss = <K extends Names, L extends K["losses"]>(graph: Graph<K>, name: L): Graph<Without<K, "losses", L>> => {
  requireName(graph, "losses", name)
  return removeFrom(graph, "losses", name)
}

export const addLoss = <K extends Names, L extends string>(graph: Graph<K>, name: L, term: LossTerm): Graph<With<K, "losses", L>> => {
  if (name in graph.losses) throw new Error(`graph "${graph.name}" already has a loss "${name}"`)
  return setIn(graph, "losses", name, term)
}

export const setWeight = <K extends Names>(graph: Graph<K>, name: K["losses"], weight: Scalar): Graph<K> => {
  requireName(graph, "losses", name)
  const term = (graph.losses as Record<string, LossTerm>)[name] as LossTerm
  return setIn(graph, "losses", name, { ...term, weight })
}

export const setParam = <K extends Names>(graph: Graph<K>, name: K["params"], change: Partial<ParamSpec>): Graph<K> => {
  requireName(graph, "params", name)
  const spec = (graph.params as Record<string, ParamSpec>)[name] as ParamSpec
  return setIn(graph, "params", name, { ...spec, ...change })
}

export const addParam = <K extends Names, P extends string>(graph: Graph<K>, name: P, spec: ParamSpec): Graph<With<K, "params", P>> => {
  if (name in graph.params) throw new Error(`graph "${graph.name}" already has a param "${name}"`)
  return setIn(graph, "params", name, spec)
}

export const freeze = <K extends Names>(graph: Graph<K>, name: K["params"]): Graph<K> => setParam(graph, name, { frozen: true })
export const unfreeze = <K extends Names>(graph: Graph<K>, name: K["params"]): Graph<K> => setParam(graph, name, { frozen: false })

export const setGroup = <K extends Names>(graph: Graph<K>, name: K["groups"], change: Partial<GroupSpec>): Graph<K> => {
  requireName(graph, "groups", name)
  const spec = (graph.groups as Record<string, GroupSpec>)[name] as GroupSpec
  return setIn(graph, "groups", name, { ...spec, ...change })
}

export const addGroup = <K extends Names, G extends string>(graph: Graph<K>, name: G, spec: GroupSpec): Graph<With<K, "groups", G>> =>
  setIn(graph, "groups", name, spec)

export const addInput = <K extends Names, I extends string>(graph: Graph<K>, name: I, spec: Port): Graph<With<K, "inputs", I>> => {
  if (name in graph.inputs) throw new Error(`graph "${graph.name}" already has an input "${name}"`)
  return setIn(graph, "inputs", name, spec)
}

/** Remove a param; typecheck() reports anything that still refers to it. */
export const dropParam = <K extends Names, P extends K["params"]>(graph: Graph<K>, name: P): Graph<Without<K, "params", P>> => {
  requireName(graph, "params", name)
  return removeFrom(graph, "params", name)
}

export const setInput = <K extends Names>(graph: Graph<K>, name: K["inputs"], spec: Port): Graph<K> => {
  requireName(graph, "inputs", name)
  return setIn(graph, "inputs", name, spec)
}

export const setOutput = <K extends Names, O extends string>(graph: Graph<K>, name: O, ref: Ref): Graph<With<K, "outputs", O>> =>
  setIn(graph, "outputs", name, ref)

export const setMetric = <K extends Names, M extends string>(graph: Graph<K>, name: M, ref: Ref): Graph<With<K, "metrics", M>> =>
  setIn(graph, "metrics", name, ref)

export const dropMetric = <K extends Names, M extends K["metrics"]>(graph: Graph<K>, name: M): Graph<Without<K, "metrics", M>> => {
  requireName(graph, "metrics", name)
  return removeFrom(graph, "metrics", name)
}

export const setDim = <K extends Names>(graph: Graph<K>, name: string, size: number): Graph<K> =>
  freezeGraph({ ...graph, dims: { ...graph.dims, [name]: size } })
