/**
 * The avatar's decoder (GaussianAvatar): an MLP per point (1x1 convolutions in
 * the original) on [N, 64 features + 2 UV] inputs. A trunk of `trunk` layers
 * (linear, Softplus, BatchNorm: one denseBlock node each, whose gradient keeps
 * only the layer's input), the input concatenated again before one more
 * layer, then three heads of `headLayers` hidden layers each, ending in raw
 * offset (3), scale (1) and colour (3) outputs.
 */
import type { Ref } from "../../dsl/graph.ts"
import { node, out } from "../../dsl/graph.ts"
import { specs } from "../../ops/specs.ts"
import type { Built, Fragment } from "./fragment.ts"
import { chain, combine, dense, denseBlockLayer, denseParams } from "./fragment.ts"

export interface DecoderConfig {
  /** Channels per point at the input (64 features + 2 UV coordinates in the original). */
  readonly inChannels: number
  /** Hidden width; 128 in the original. */
  readonly hidden: number
  /** Trunk layers before the skip; 4 in the original. */
  readonly trunk: number
  /** Hidden layers per head; 2 in the original. */
  readonly headLayers: number
  readonly group: string
}

export const decoderDefaults: Omit<DecoderConfig, "group"> = { inChannels: 66, hidden: 128, trunk: 4, headLayers: 2 }

/** linear -> Softplus -> BatchNorm (affine), the original's building block. */
const layer = (name: string, inC: number, outC: number, group: string) => (x: Ref): Built => denseBlockLayer(name, x, inC, outC, group)

export type DecoderHead = "offset" | "scale" | "color"

/** Names inside a decoder `prefix`: a head's prefix, its hidden layer i's node (a denseBlock), its output layer and that layer's weight and bias. */
export const decoderNames = (prefix: string) => ({
  head: (h: DecoderHead | string) => `${prefix}.${h}`,
  headLayer: (h: DecoderHead | string, i: number) => `${prefix}.${h}.${i}`,
  headOut: (h: DecoderHead | string) => `${prefix}.${h}.out`,
  headOutParams: (h: DecoderHead | string) => denseParams(`${prefix}.${h}.out`)
})

const head = (decoderPrefix: string, h: DecoderHead, x: Ref, c: DecoderConfig, outputs: number): Built => {
  const names = decoderNames(decoderPrefix)
  return chain(x, ...Array.from({ length: c.headLayers }, (_, i) => layer(`${names.head(h)}.${i}`, c.hidden, c.hidden, c.group)), (r) => dense(names.headOut(h), r, c.hidden, outputs, c.group))
}

export interface Decoder {
  readonly fragment: Fragment
  readonly offset: Ref
  readonly scale: Ref
  readonly color: Ref
}

export const decoder = (prefix: string, x: Ref, c: DecoderConfig): Decoder => {
  const trunk = chain(x, ...Array.from({ length: c.trunk }, (_, i) => layer(`${prefix}.trunk${i}`, i === 0 ? c.inChannels : c.hidden, c.hidden, c.group)))
  const skipName = `${prefix}.skip`
  const skip = { fragment: { params: {}, nodes: { [skipName]: node(specs.concat, { a: trunk.output, b: x }, { channelsA: c.hidden, channelsB: c.inChannels }) }, updates: {} }, output: out(skipName) }
  const joined = layer(`${prefix}.joined`, c.hidden + c.inChannels, c.hidden, c.group)(skip.output)
  const offset = head(prefix, "offset", joined.output, c, 3)
  const scale = head(prefix, "scale", joined.output, c, 1)
  const color = head(prefix, "color", joined.output, c, 3)
  return {
    fragment: combine(trunk.fragment, skip.fragment, joined.fragment, offset.fragment, scale.fragment, color.fragment),
    offset: offset.output,
    scale: scale.output,
    color: color.output
  }
}
