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

/** conv2d ("same" padding, square images), no bias. */
export const conv = (name: string, x: Ref, s: ConvShape, group: string): Built => ({
  fragment: {
    params: { [`${name}.filter`]: paramSpec([s.kernel, s.kernel, s.inChannels, s.outChannels], glorotUniform, { group }) },
    nodes: {
      [name]: node(
        specs.conv2d,
        { x, filter: param(`${name}.filter`) },
        { kernel: s.kernel, inChannels: s.inChannels, outChannels: s.outChannels, stride: s.stride, padding: "same", height: s.size, width: s.size }
      )
    },
    updates: {}
  },
  output: out(name)
})

/** conv2dTranspose ("same": output size = size * stride), no bias. */
export const upConv = (name: string, x: Ref, s: ConvShape, group: string): Built => ({
  fragment: {
    params: { [`${name}.filter`]: paramSpec([s.kernel, s.kernel, s.outChannels, s.inChannels], glorotUniform, { group }) },
    nodes: {
      [name]: node(
        specs.conv2dTranspose,
        { x, filter: param(`${name}.filter`) },
        { kernel: s.kernel, inChannels: s.inChannels, outChannels: s.outChannels, stride: s.stride, padding: "same", height: s.size, width: s.size }
      )
    },
    updates: {}
  },
  output: out(name)
})

export const bias = (name: string, x: Ref, channels: number, group: string): Built => ({
  fragment: { params: { [`${name}.b`]: paramSpec([channels], zeros, { group }) }, nodes: { [name]: node(specs.addBias, { x, bias: param(`${name}.b`) }, {}) }, updates: {} },
  output: out(name)
})

export const concatChannels = (name: string, a: Ref, b: Ref, channelsA: number, channelsB: number): Built => ({
  fragment: { params: {}, nodes: { [name]: node(specs.concat, { a, b }, { channelsA, channelsB }) }, updates: {} },
  output: out(name)
})
