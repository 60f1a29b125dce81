/**
 * Variant "learned opacity": a new decoder head (built like the others) gives one logit per
 * Gaussian; its sigmoid feeds the rasteriser's `opacities` input, and the rasteriser's node switches
 * from its opaque mode to learned opacities. The output bias starts at 2, so every Gaussian starts
 * at opacity sigmoid(2) = 0.88, close to the opaque Gaussians of the original.
 */
import { addNode, keepsNames, rename, replaceNode } from "../../../dsl/edit.ts"
import type { Having } from "../../../dsl/graph.ts"
import { constantInit, node, out } from "../../../dsl/graph.ts"
import type { RasterizeAttrs } from "../../../ops/rasterize/spec.ts"
import { learnedOpacity as learnedOpacities } from "../../../ops/rasterize/spec.ts"
import { specs } from "../../../ops/specs.ts"
import type { Stage1Config } from "../config.ts"
import { avatarDecoderHead, rewired, withFragment } from "./edits.ts"

const startLogit = 2

/** stage1(c) or stage2(c) (or a variant of them) with a learned opacity per Gaussian. */
export const learnedOpacity = <G extends Having<"render">>(graph: G, c: Stage1Config): G => {
  const { N } = c.dims
  const head = avatarDecoderHead(graph, "opacity", { hidden: c.sizes.hidden, outputs: 1, group: "decoder", biasInit: constantInit(startLogit) })
  const withHead = withFragment(graph, head.fragment)
  const squashed = addNode(withHead, "opacitySigmoid", node(specs.activation, { x: head.output }, { fn: { _tag: "Sigmoid" } }))
  const flat = addNode(squashed, "opacities", node(specs.reshape, { x: out("opacitySigmoid") }, { from: [N, 1], to: [N] }))
  const render = graph.nodes.render
  const rendered = replaceNode(flat, "render", { ...rewired(render, { opacities: out("opacities") }), attrs: { ...(render.attrs as RasterizeAttrs), opacity: learnedOpacities } })
  return keepsNames(graph, rename(rendered, `${graph.name}.learnedOpacity`))
}
