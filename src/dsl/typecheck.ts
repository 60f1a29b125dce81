/**
 * typecheck(graph): validates names, orders nodes by dependency and unifies
 * every port's symbolic shape with what flows into it, before any tensor
 * exists. Op-local symbols ("N") bind per node; graph symbols ("H") flow
 * through unchanged unless graph.dims gives their size.
 */
import { Effect } from "effect"
import type { CheckError } from "./errors.ts"
import { GraphError, ShapeMismatch } from "./errors.ts"
import type { AnyGraph, NodeSpec, ParamSpec, Ref, StateUpdate } from "./graph.ts"
import { formatRef } from "./graph.ts"
import { allInputs, wiredInputs } from "./op.ts"
import type { Dim, Port, Shape } from "./shape.ts"
import { isRest } from "./shape.ts"

export interface CheckedGraph<G extends AnyGraph = AnyGraph> {
  readonly graph: G
  /** Node names in an order where every node comes after the nodes it reads. */
  readonly order: ReadonlyArray<string>
  /** The resolved port of every node output. */
  readonly ports: { readonly [node: string]: { readonly [output: string]: Port } }
}

type Binding = Dim | ReadonlyArray<Dim>

const substituteGraphDims = (graph: AnyGraph, shape: Shape): Shape => shape.map((d) => (typeof d === "string" && d in graph.dims ? (graph.dims[d] as number) : d))

const sameDim = (a: Dim, b: Dim): boolean => a === b

/** Unify an op's expected shape with an actual one; returns a reason on failure. */
export const unify = (expected: Shape, actual: Shape, bindings: Map<string, Binding>): string | undefined => {
  const restAt = expected.findIndex(isRest)
  const prefix = restAt < 0 ? expected : expected.slice(0, restAt)
  const suffix = restAt < 0 ? [] : expected.slice(restAt + 1)
  if (restAt < 0 ? actual.length !== expected.length : actual.length < prefix.length + suffix.length)
    return `rank ${actual.length}, expected ${restAt < 0 ? expected.length : `at least ${prefix.length + suffix.length}`}`
  const pairs: Array<[Dim, Dim]> = [
    ...prefix.map((d, i): [Dim, Dim] => [d, actual[i] as Dim]),
    ...suffix.map((d, i): [Dim, Dim] => [d, actual[actual.length - suffix.length + i] as Dim])
  ]
  if (restAt >= 0) {
    const sym = expected[restAt] as string
    const span = actual.slice(prefix.length, actual.length - suffix.length)
    const bound = bindings.get(sym)
    if (bound === undefined) bindings.set(sym, span)
    else if (!Array.isArray(bound) || bound.length !== span.length || !bound.every((b, i) => sameDim(b, span[i] as Dim)))
      return `"${sym}" was bound to ${JSON.stringify(bound)}, here ${JSON.stringify(span)}`
  }
  for (const [e, a] of pairs) {
    if (typeof e === "number") {
      if (e !== a) return `dimension ${JSON.stringify(a)} where ${e} is required`
      continue
    }
    const bound = bindings.get(e)
    if (bound === undefined) bindings.set(e, a)
    else if (Array.isArray(bound) || !sameDim(bound as Dim, a)) return `"${e}" was bound to ${JSON.stringify(bound)}, here ${JSON.stringify(a)}`
  }
  return undefined
}

/** Replace op symbols by their bindings; unbound symbols are an error reported by the caller. */
export const substitute = (shape: Shape, bindings: Map<string, Binding>): { shape: Shape; unbound: ReadonlyArray<string> } => {
  const result: Dim[] = []
  const unbound: string[] = []
  for (const d of shape) {
    if (typeof d === "number") result.push(d)
    else {
      const b = bindings.get(d)
      if (b === undefined) unbound.push(d)
      else if (Array.isArray(b)) result.push(...b)
      else result.push(b as Dim)
    }
  }
  return { shape: result, unbound }
}

const fail = (graph: AnyGraph, where: string, reason: string) => Effect.fail(new GraphError({ graph: graph.name, where, reason }))

const topologicalOrder = (graph: AnyGraph): Effect.Effect<ReadonlyArray<string>, GraphError> => {
  const nodes = graph.nodes as Record<string, NodeSpec>
  const order: string[] = []
  const state = new Map<string, "visiting" | "done">()
  const visit = (name: string, path: ReadonlyArray<string>): string | undefined => {
    const s = state.get(name)
    if (s === "done") return undefined
    if (s === "visiting") return `cycle through nodes ${[...path, name].map((n) => `"${n}"`).join(" -> ")}`
    state.set(name, "visiting")
    for (const ref of Object.values(nodes[name]?.inputs ?? {}) as Ref[]) {
      if (ref._tag === "Node" && ref.node in nodes) {
        const problem = visit(ref.node, [...path, name])
        if (problem) return problem
      }
    }
    state.set(name, "done")
    order.push(name)
    return undefined
  }
  for (const name of Object.keys(nodes)) {
    const problem = visit(name, [])
    if (problem) return fail(graph, "nodes", problem)
  }
  return Effect.succeed(order)
}

const resolveRef = (graph: AnyGraph, ports: Record<string, Record<string, Port>>, ref: Ref, where: string): Effect.Effect<Port, GraphError> => {
  switch (ref._tag) {
    case "Input": {
      const p = (graph.inputs as Record<string, Port>)[ref.name]
      return p ? Effect.succeed({ dtype: p.dtype, shape: substituteGraphDims(graph, p.shape) }) : fail(graph, where, `unknown ${formatRef(ref)}`)
    }
    case "Param": {
      const p = (graph.params as Record<string, ParamSpec>)[ref.name]
      return p ? Effect.succeed({ dtype: p.dtype, shape: substituteGraphDims(graph, p.shape) }) : fail(graph, where, `unknown ${formatRef(ref)}`)
    }
    case "Node": {
      const p = ports[ref.node]?.[ref.output]
      return p ? Effect.succeed(p) : fail(graph, where, `unknown ${formatRef(ref)}`)
    }
  }
}

const checkNode = (graph: AnyGraph, name: string, spec: NodeSpec, ports: Record<string, Record<string, Port>>): Effect.Effect<Record<string, Port>, CheckError> =>
  Effect.gen(function* () {
    const where = `node "${name}" (${spec.op.name})`
    const given = Object.keys(spec.inputs)
    const signature = spec.op.signature(spec.attrs)
    const wired = wiredInputs(spec.op, spec.attrs)
    const missing = wired.filter((i) => !given.includes(i))
    const extra = given.filter((i) => !wired.includes(i))
    const unused = (i: string) => allInputs(spec.op).includes(i) ? `${i} (not used in this mode)` : i
    if (missing.length > 0 || extra.length > 0)
      return yield* fail(graph, where, `inputs ${missing.length ? `missing ${missing.join(", ")}` : ""}${extra.length ? ` unknown ${extra.map(unused).join(", ")}` : ""}`.trim())
    const bindings = new Map<string, Binding>()
    for (const inputName of wired) {
      const expected = (signature.inputs as Readonly<Record<string, Port>>)[inputName] as Port
      const actual = yield* resolveRef(graph, ports, (spec.inputs as Record<string, Ref>)[inputName] as Ref, where)
      const problem = expected.dtype !== actual.dtype ? `dtype ${actual.dtype}, expected ${expected.dtype}` : unify(expected.shape, actual.shape, bindings)
      if (problem) return yield* new ShapeMismatch({ graph: graph.name, node: name, port: inputName, expected: expected.shape, actual: actual.shape, detail: problem })
    }
    const outputs: Record<string, Port> = {}
    for (const outputName of spec.op.outputs as ReadonlyArray<string>) {
      const declared = signature.outputs[outputName] as Port
      const { shape, unbound } = substitute(declared.shape, bindings)
      if (unbound.length > 0) return yield* fail(graph, where, `output "${outputName}" uses symbols ${unbound.join(", ")} that no input binds`)
      outputs[outputName] = { dtype: declared.dtype, shape }
    }
    return outputs
  })

const checkScalar = (graph: AnyGraph, ports: Record<string, Record<string, Port>>, section: string, name: string, ref: Ref) =>
  Effect.gen(function* () {
    const p = yield* resolveRef(graph, ports, ref, `${section} "${name}"`)
    if (p.shape.length !== 0) return yield* new ShapeMismatch({ graph: graph.name, node: `${section}:${name}`, port: "value", expected: [], actual: p.shape, detail: "must be a scalar" })
  })

const checkUpdate = (graph: AnyGraph, ports: Record<string, Record<string, Port>>, name: string, u: StateUpdate) =>
  Effect.gen(function* () {
    const where = `update of param "${name}"`
    const target = (graph.params as Record<string, ParamSpec>)[name]
    if (!target) return yield* fail(graph, where, "no such param")
    if (!target.frozen || target.perFrame) return yield* fail(graph, where, "only frozen, dense params hold running statistics")
    if (!(u.momentum > 0 && u.momentum <= 1)) return yield* fail(graph, where, `momentum ${u.momentum} is not in (0, 1]`)
    const value = yield* resolveRef(graph, ports, u.value, where)
    const expected = substituteGraphDims(graph, target.shape)
    if (value.shape.length !== expected.length || value.shape.some((d, i) => d !== expected[i]))
      return yield* new ShapeMismatch({ graph: graph.name, node: `update:${name}`, port: "value", expected, actual: value.shape, detail: "the value must have the param's shape" })
  })

/** Check a whole graph. Fails with the first ShapeMismatch or GraphError found. */
export const typecheck = <G extends AnyGraph>(graph: G): Effect.Effect<CheckedGraph<G>, CheckError> =>
  Effect.gen(function* () {
    for (const [name, p] of Object.entries(graph.params as Record<string, ParamSpec>)) {
      if (!p.frozen && !(p.group in graph.groups)) return yield* fail(graph, `param "${name}"`, `optimiser group "${p.group}" is not defined`)
      if (p.init._tag === "FromDataset" && !p.perFrame) return yield* fail(graph, `param "${name}"`, "FromDataset init is only for per-frame params")
      if (p.init._tag === "Given" && !p.frozen && !p.perFrame) return yield* fail(graph, `param "${name}"`, "a dense Given (constant) param must be frozen")
      if (p.dtype === "int32" && (p.init._tag !== "Given" || p.perFrame)) return yield* fail(graph, `param "${name}"`, "int32 params must be Given constants")
    }
    const order = yield* topologicalOrder(graph)
    const ports: Record<string, Record<string, Port>> = {}
    for (const name of order) ports[name] = yield* checkNode(graph, name, (graph.nodes as Record<string, NodeSpec>)[name] as NodeSpec, ports)
    for (const [name, term] of Object.entries(graph.losses as Record<string, { value: Ref }>)) yield* checkScalar(graph, ports, "loss", name, term.value)
    for (const [name, ref] of Object.entries(graph.metrics as Record<string, Ref>)) yield* checkScalar(graph, ports, "metric", name, ref)
    for (const [name, ref] of Object.entries(graph.outputs as Record<string, Ref>)) yield* resolveRef(graph, ports, ref, `output "${name}"`)
    for (const [name, u] of Object.entries(graph.updates)) yield* checkUpdate(graph, ports, name, u)
    return { graph, order, ports }
  })

/** The nodes that the given refs depend on, in execution order (dead nodes pruned). */
export const nodesNeeded = (checked: CheckedGraph, roots: ReadonlyArray<Ref>): ReadonlyArray<string> => {
  const nodes = checked.graph.nodes as Record<string, NodeSpec>
  const needed = new Set<string>()
  const stack = roots.filter((r) => r._tag === "Node").map((r) => (r as { node: string }).node)
  while (stack.length > 0) {
    const name = stack.pop() as string
    if (needed.has(name)) continue
    needed.add(name)
    for (const ref of Object.values(nodes[name]?.inputs ?? {}) as Ref[]) if (ref._tag === "Node") stack.push(ref.node)
  }
  return checked.order.filter((n) => needed.has(n))
}
