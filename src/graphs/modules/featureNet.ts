/**
 * The learnable feature tensor of GaussianAvatar: an S x S x C tensor
 * initialised N(0, 0.01), followed by `layers` K x K convolutions C -> C
 * without bias or activation (three 5x5 convolutions, 64 channels, S = 128 in the original).
 */
import { normal, paramSpec, param } from "../../dsl/graph.ts"
import type { Built } from "./fragment.ts"
import { chain, combine } from "./fragment.ts"
import { conv } from "./convBlocks.ts"

export interface FeatureNetConfig {
  readonly size: number
  readonly channels: number
  readonly layers: number
  readonly kernel: number
  /** Optimiser group of the tensor (lr 5e-4 in the original) and of the convolutions. */
  readonly tensorGroup: string
  readonly convGroup: string
}

export const featureNetDefaults: Omit<FeatureNetConfig, "tensorGroup" | "convGroup"> = { size: 128, channels: 64, layers: 3, kernel: 5 }

export const featureNet = (prefix: string, c: FeatureNetConfig): Built & { readonly tensor: string } => {
  const tensor = `${prefix}.tensor`
  const shape = { size: c.size, inChannels: c.channels, outChannels: c.channels, kernel: c.kernel, stride: 1 }
  const convs = chain(param(tensor), ...Array.from({ length: c.layers }, (_, i) => (x: ReturnType<typeof param>) => conv(`${prefix}.conv${i}`, x, shape, c.convGroup)))
  return {
    fragment: combine({ params: { [tensor]: paramSpec([c.size, c.size, c.channels], normal(0.01), { group: c.tensorGroup }) }, nodes: {}, updates: {} }, convs.fragment),
    output: convs.output,
    tensor
  }
}
