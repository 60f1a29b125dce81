/** Convolution blocks for image-shaped fragments ([H, W, C] per sample). */
import type { Ref } from "../../dsl/graph.ts"
import { glorotUniform, node, out, param, paramSpec, zeros } from "../../dsl/graph.ts"
import { specs } from "../../ops/specs.ts"
import type { Built } from "./fragment.ts"

export interface ConvShape {
  readonly size: number
  readonly inChannels: number
  readonly outChannels: number
  readonly kernel: number
  readonly stride: number
}

const convNode = (kind: "conv2d" | "conv2dTranspose", name: string, x: Ref, s: ConvShape, group: string): Built => {
  const filterShape = kind === "conv2d" ? [s.kernel, s.kernel, s.inChannels, s.outChannels] : [s.kernel, s.kernel, s.outChannels, s.inChannels]
  const attrs = { kernel: s.kernel, inChannels: s.inChannels, outChannels: s.outChannels, stride: s.stride, padding: "same" as const, height: s.size, width: s.size }
  return {
    fragment: {
      params: { [`${name}.filter`]: paramSpec(filterShape, glorotUniform, { group }) },
      nodes: { [name]: node(specs[kind], { x, filter: param(`${name}.filter`) }, attrs) },
      updates: {}
    },
    output: out(name)
  }
}

/** conv2d ("same" padding, square images), no bias. */
export const conv = (name: string, x: Ref, s: ConvShape, group: string): Built => convNode("conv2d", name, x, s, group)

/** conv2dTranspose ("same": output size = size * stride), no bias. */
export const upConv = (name: string, x: Ref, s: ConvShape, group: string): Built => convNode("conv2dTranspose", name, x, s, group)

export const bias = (name: string, x: Ref, channels: number, group: string): Built => ({
  fragment: { params: { [`${name}.b`]: paramSpec([channels], zeros, { group }) }, nodes: { [name]: node(specs.addBias, { x, bias: param(`${name}.b`) }, {}) }, updates: {} },
  output: out(name)
})

export const concatChannels = (name: string, a: Ref, b: Ref, channelsA: number, channelsB: number): Built => ({
  fragment: { params: {}, nodes: { [name]: node(specs.concat, { a, b }, { channelsA, channelsB }) }, updates: {} },
  output: out(name)
})
