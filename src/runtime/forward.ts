/**
 * One sample's forward pass for training, lean on memory: each node runs in its own tidy (what it
 * makes and its output does not hold is freed at once; the tape keeps what the gradient needs), and
 * a node's outputs are freed after the last node that reads them, unless a loss term, metric or
 * state update reads them at the end.
 */
import * as tf from "@tensorflow/tfjs"
import type { NodeSpec, Ref } from "../dsl/graph.ts"
import type { OpContext } from "../ops/contract.ts"
import type { Compiled, Env, NodeValues } from "./execute.ts"
import { evaluateNodes } from "./execute.ts"
import { tapeMark } from "./gradients.ts"

/** For each position k in `nodes`, the nodes whose outputs nothing reads after node k. */
export const freedAfter = (compiled: Compiled, nodes: ReadonlyArray<string>, roots: ReadonlyArray<Ref>): ReadonlyArray<ReadonlyArray<string>> => {
  const graphNodes = compiled.checked.graph.nodes as Record<string, NodeSpec>
  const lastReader = new Map<string, number>()
  nodes.forEach((name, k) => {
    for (const ref of Object.values(graphNodes[name]?.inputs ?? {}) as Ref[]) if (ref._tag === "Node") lastReader.set(ref.node, k)
  })
  const heldToTheEnd = new Set(roots.flatMap((r) => (r._tag === "Node" ? [r.node] : [])))
  const freed: string[][] = nodes.map(() => [])
  for (const [name, k] of lastReader) if (!heldToTheEnd.has(name)) freed[k]?.push(name)
  return freed
}

/** A node's kernel threw during the forward pass. */
export class ForwardFailed extends Error {
  constructor(
    readonly node: string,
    override readonly cause: unknown
  ) {
    super(`node "${node}" failed: ${String(cause)}`)
  }
}

/** Where each node's tape nodes end: after evaluating nodes[k], the tape's next id was marks[k] (gradients.ts tapeMark). */
export type TapeMarks = Array<readonly [node: string, mark: number]>

/**
 * Evaluate `nodes` (in dependency order) node by node, freeing outputs once `freed` says so, and
 * noting in `marks` where each node's part of the tape ends.
 */
export const evaluateLean = (compiled: Compiled, env: Env, nodes: ReadonlyArray<string>, freed: ReadonlyArray<ReadonlyArray<string>>, ctx: OpContext, marks?: TapeMarks): NodeValues => {
  const values: NodeValues = new Map()
  nodes.forEach((name, k) => {
    try {
      tf.tidy(() => evaluateNodes(compiled, env, [name], ctx, values).get(name) as Record<string, tf.Tensor>)
    } catch (error) {
      throw new ForwardFailed(name, error)
    }
    marks?.push([name, tapeMark()])
    for (const done of freed[k] ?? []) {
      tf.dispose(Object.values(values.get(done) ?? {}))
      values.delete(done)
    }
  })
  return values
}
