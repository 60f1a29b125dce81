/**
 * Compile a graph against an op registry for one backend (typecheck, find every
 * kernel and choose it for the backend, register the ops' custom tfjs kernels
 * where the registry lacks them) and evaluate its nodes in dependency order on
 * tfjs tensors. The tape sees every op, so tfjs differentiates
 * through the whole graph; custom ops bring their own backward.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { AnyGraph, NodeSpec, Ref } from "../dsl/graph.ts"
import type { CheckedGraph } from "../dsl/typecheck.ts"
import { nodesNeeded, typecheck } from "../dsl/typecheck.ts"
import type { KernelInputs, KernelTarget, OpContext, ResolvedOpDef } from "../ops/contract.ts"
import { applyOp, prepareOp } from "../ops/apply.ts"
import type { OpRegistry } from "../ops/registry.ts"
import type { ShapeMismatch } from "./errors.ts"
import { GraphError } from "./errors.ts"

export interface Compiled<G extends AnyGraph = AnyGraph> {
  readonly checked: CheckedGraph<G>
  /** Kernel of each node, by node name, chosen for the backend compiled for. */
  readonly kernels: ReadonlyMap<string, ResolvedOpDef>
}

export const compile = <G extends AnyGraph>(graph: G, registry: OpRegistry, target: KernelTarget): Effect.Effect<Compiled<G>, GraphError | ShapeMismatch> =>
  Effect.gen(function* () {
    const checked = yield* typecheck(graph)
    const kernels = new Map<string, ResolvedOpDef>()
    for (const [name, node] of Object.entries(graph.nodes as Record<string, NodeSpec>)) {
      const def = registry.lookup(node.op.name)
      if (!def) return yield* new GraphError({ graph: graph.name, where: `node "${name}"`, reason: `no kernel registered for op "${node.op.name}"` })
      kernels.set(name, prepareOp(def, target))
    }
    return { checked, kernels }
  })

/** Values of graph inputs and params, by "input:<name>" and "param:<name>". */
export type Env = ReadonlyMap<string, tf.Tensor>

export const envKey = (ref: Exclude<Ref, { _tag: "Node" }>): string => `${ref._tag === "Input" ? "input" : "param"}:${ref.name}`

export type NodeValues = Map<string, Record<string, tf.Tensor>>

export const resolve = (ref: Ref, env: Env, values: NodeValues): tf.Tensor => {
  const tensor = ref._tag === "Node" ? values.get(ref.node)?.[ref.output] : env.get(envKey(ref))
  if (!tensor) throw new Error(`runtime: no value for ${JSON.stringify(ref)} (compile() should have caught this)`)
  return tensor
}

/** Evaluate `nodes` (already in dependency order). Must run inside the caller's tidy or tape. */
export const evaluateNodes = (compiled: Compiled, env: Env, nodes: ReadonlyArray<string>, ctx: OpContext, values: NodeValues = new Map()): NodeValues => {
  const graphNodes = compiled.checked.graph.nodes as Record<string, NodeSpec>
  for (const name of nodes) {
    const node = graphNodes[name] as NodeSpec
    const inputs = Object.fromEntries(Object.entries(node.inputs as Record<string, Ref>).map(([port, ref]) => [port, resolve(ref, env, values)]))
    const def = compiled.kernels.get(name) as ResolvedOpDef
    values.set(name, applyOp(def, inputs as KernelInputs<typeof def.spec>, node.attrs, ctx) as Record<string, tf.Tensor>)
  }
  return values
}

export const nodesFor = (compiled: Compiled, roots: ReadonlyArray<Ref>): ReadonlyArray<string> => nodesNeeded(compiled.checked, roots)
