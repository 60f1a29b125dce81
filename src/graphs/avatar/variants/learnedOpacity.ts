/**
 * Variant "learned opacity": a new decoder head (built like the others) gives one logit per
 * Gaussian; its sigmoid feeds the rasteriser's `opacities` input instead of "all opaque". The
 * output bias starts at 2, so every Gaussian starts at opacity sigmoid(2) = 0.88, close to the
 * opaque Gaussians of the original.
 */
import { addNode, dropParam, rename, replaceNode } from "../../../dsl/edit.ts"
import type { AnyGraph } from "../../../dsl/graph.ts"
import { constantInit, node, out } from "../../../dsl/graph.ts"
import { specs } from "../../../ops/specs.ts"
import type { Stage1Config } from "../config.ts"
import { decoderHead, decoderHeadLayers, decoderTrunk, nodeOf, rewired, withFragment } from "./edits.ts"

const startLogit = 2

/** stage1(c) or stage2(c) (or a variant of them) with a learned opacity per Gaussian. */
export const learnedOpacity = (graph: AnyGraph, c: Stage1Config): AnyGraph => {
  const { N } = c.dims
  const head = decoderHead("decoder.opacity", decoderTrunk(graph), { hidden: c.sizes.hidden, layers: decoderHeadLayers(graph), outputs: 1, group: "decoder", biasInit: constantInit(startLogit) })
  const withHead = withFragment(graph, head.fragment)
  const squashed = addNode(withHead, "opacitySigmoid", node(specs.activation, { x: head.output }, { fn: { _tag: "Sigmoid" } }))
  const flat = addNode(squashed, "opacities", node(specs.reshape, { x: out("opacitySigmoid") }, { from: [N, 1], to: [N] }))
  const rendered = replaceNode(flat, "render", rewired(nodeOf(graph, "render"), { opacities: out("opacities") }))
  return rename(dropParam(rendered, "noOpacities"), `${graph.name}.learnedOpacity`)
}
