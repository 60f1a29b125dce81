/**
 * GaussianAvatar's pose encoder: a U-Net on the S x S UV position map of the
 * posed body. Encoder: `channels.length` stride-2 4x4 convolutions, each
 * followed by BatchNorm without affine (not the first) and LeakyReLU 0.2.
 * Decoder: stride-2 4x4 transposed convolutions with BatchNorm and ReLU, each
 * concatenated with the encoder level of the same size, and a last transposed
 * convolution (with bias) to `outChannels` at full size. Original: S = 128,
 * channels 32/64/128/256/256, 64 output channels.
 */
import type { Ref } from "../../dsl/graph.ts"
import type { Built, Fragment } from "./fragment.ts"
import { activate, batchNormBlock, chain, combine } from "./fragment.ts"
import { bias, concatChannels, conv, upConv } from "./convBlocks.ts"

export interface PoseEncoderConfig {
  readonly size: number
  readonly inChannels: number
  readonly channels: ReadonlyArray<number>
  readonly outChannels: number
  readonly group: string
}

export const poseEncoderDefaults: Omit<PoseEncoderConfig, "group"> = { size: 128, inChannels: 3, channels: [32, 64, 128, 256, 256], outChannels: 64 }

const leaky = { _tag: "LeakyRelu", slope: 0.2 } as const
const relu = { _tag: "Relu" } as const

interface Level {
  readonly output: Ref
  readonly size: number
  readonly channels: number
}

const encoderLevels = (prefix: string, x: Ref, c: PoseEncoderConfig): { fragment: Fragment; levels: Level[] } => {
  let fragment: Fragment = { params: {}, nodes: {}, updates: {} }
  const levels: Level[] = []
  let input = x
  let size = c.size
  let inC = c.inChannels
  c.channels.forEach((outC, i) => {
    const name = `${prefix}.down${i}`
    const shape = { size, inChannels: inC, outChannels: outC, kernel: 4, stride: 2 }
    const built = chain(
      input,
      (r) => conv(name, r, shape, c.group),
      (r) => (i === 0 ? bias(`${name}.bias`, r, outC, c.group) : batchNormBlock(`${name}.bn`, r, outC, c.group, false)),
      (r) => activate(`${name}.act`, r, leaky)
    )
    fragment = combine(fragment, built.fragment)
    size /= 2
    inC = outC
    input = built.output
    levels.push({ output: built.output, size, channels: outC })
  })
  return { fragment, levels }
}

export const poseEncoder = (prefix: string, x: Ref, c: PoseEncoderConfig): Built => {
  if (c.size % 2 ** c.channels.length !== 0) throw new Error(`pose encoder: size ${c.size} is not divisible by 2^${c.channels.length}`)
  const encoder = encoderLevels(prefix, x, c)
  let fragment = encoder.fragment
  const deepest = encoder.levels[encoder.levels.length - 1] as Level
  let current: Level = deepest
  for (let i = encoder.levels.length - 2; i >= 0; i--) {
    const skip = encoder.levels[i] as Level
    const name = `${prefix}.up${i}`
    const up = chain(
      current.output,
      (r) => upConv(name, r, { size: current.size, inChannels: current.channels, outChannels: skip.channels, kernel: 4, stride: 2 }, c.group),
      (r) => batchNormBlock(`${name}.bn`, r, skip.channels, c.group, false),
      (r) => activate(`${name}.act`, r, relu),
      (r) => concatChannels(`${name}.skip`, r, skip.output, skip.channels, skip.channels)
    )
    fragment = combine(fragment, up.fragment)
    current = { output: up.output, size: skip.size, channels: 2 * skip.channels }
  }
  const last = chain(
    current.output,
    (r) => upConv(`${prefix}.out`, r, { size: current.size, inChannels: current.channels, outChannels: c.outChannels, kernel: 4, stride: 2 }, c.group),
    (r) => bias(`${prefix}.out.bias`, r, c.outChannels, c.group)
  )
  return { fragment: combine(fragment, last.fragment), output: last.output }
}
