/**
 * Edits the avatar variants share: splicing a graph fragment (params, nodes, running-statistics
 * updates) into a graph, removing every name under a prefix, and a decoder head built like the
 * decoder's own (src/graphs/modules/decoder.ts): `layers` x (linear, Softplus, BatchNorm), then a
 * linear layer to `outputs` channels.
 */
import { addNode, addParam, dropNode, dropParam } from "../../../dsl/edit.ts"
import type { AnyGraph, NodeSpec, ParamSpec, Ref } from "../../../dsl/graph.ts"
import { freezeGraph, paramSpec } from "../../../dsl/graph.ts"
import type { Init } from "../../../dsl/graph.ts"
import type { Built, Fragment } from "../../modules/fragment.ts"
import { decoderNames } from "../../modules/decoder.ts"
import { chain, dense, denseBlockLayer } from "../../modules/fragment.ts"
import { decoderPrefix } from "../config.ts"

/** Adds a fragment's params and nodes (typed edits) and its updates (edit.ts has no update edits). */
export const withFragment = (graph: AnyGraph, fragment: Fragment): AnyGraph => {
  const withParams = Object.entries(fragment.params).reduce<AnyGraph>((g, [name, spec]) => addParam(g, name, spec), graph)
  const withNodes = Object.entries(fragment.nodes).reduce<AnyGraph>((g, [name, spec]) => addNode(g, name, spec), withParams)
  return freezeGraph({ ...withNodes, updates: { ...withNodes.updates, ...fragment.updates } })
}

/** Removes the nodes and params named in `names` or under `prefix`, with the updates of the removed params. */
export const withoutNames = (graph: AnyGraph, prefix: string, names: ReadonlyArray<string>): AnyGraph => {
  const doomed = (name: string) => name.startsWith(prefix) || names.includes(name)
  const noNodes = Object.keys(graph.nodes).filter(doomed).reduce<AnyGraph>((g, name) => dropNode(g, name), graph)
  const noParams = Object.keys(graph.params).filter(doomed).reduce<AnyGraph>((g, name) => dropParam(g, name), noNodes)
  return freezeGraph({ ...noParams, updates: Object.fromEntries(Object.entries(noParams.updates).filter(([name]) => !doomed(name))) })
}

/** The same node with some inputs rewired. */
export const rewired = (spec: NodeSpec, inputs: Record<string, Ref>): NodeSpec => ({ ...spec, inputs: { ...spec.inputs, ...inputs } })

const names = decoderNames(decoderPrefix)

/** The avatar decoder's node `name` (decoderNames), or an error naming the graph (a graph without the avatar's decoder). */
const decoderNode = (graph: AnyGraph, name: string): NodeSpec => {
  const spec = (graph.nodes as Record<string, NodeSpec>)[name]
  if (!spec) throw new Error(`variant: graph "${graph.name}" has no decoder node "${name}"`)
  return spec
}

/** The decoder's shared features: what its scale head reads (its first hidden layer, or its output layer without hidden layers). */
export const decoderTrunk = (graph: AnyGraph): Ref => {
  const first = (graph.nodes as Record<string, NodeSpec>)[names.headLayer("scale", 0)] ?? decoderNode(graph, names.headOut("scale"))
  return (first.inputs as { readonly x: Ref }).x
}

/** Hidden layers of the decoder's heads (its scale head's), so that a new head has as many. */
export const decoderHeadLayers = (graph: AnyGraph): number => {
  let layers = 0
  while (names.headLayer("scale", layers) in graph.nodes) layers++
  return layers
}

/** A new head of the avatar decoder, named as decoderNames names heads. */
export const avatarDecoderHead = (graph: AnyGraph, headName: string, s: Omit<HeadShape, "layers">): Built =>
  decoderHead(names.head(headName), decoderTrunk(graph), { ...s, layers: decoderHeadLayers(graph) })

export interface HeadShape {
  readonly hidden: number
  readonly layers: number
  readonly outputs: number
  readonly group: string
  /** Initial value of every output bias (e.g. a starting opacity before the sigmoid). */
  readonly biasInit: Init
}

/** A decoder head `prefix` on x [N, hidden]; its output is node `${prefix}.out`, [N, outputs]. */
export const decoderHead = (prefix: string, x: Ref, s: HeadShape): Built => {
  const layer = (i: number) => (r: Ref): Built => denseBlockLayer(`${prefix}.${i}`, r, s.hidden, s.hidden, s.group)
  const built = chain(x, ...Array.from({ length: s.layers }, (_, i) => layer(i)), (r) => dense(`${prefix}.out`, r, s.hidden, s.outputs, s.group))
  const bias: ParamSpec = paramSpec([s.outputs], s.biasInit, { group: s.group })
  return { fragment: { ...built.fragment, params: { ...built.fragment.params, [`${prefix}.out.b`]: bias } }, output: built.output }
}
