/** Float64 reference of LPIPS: direct convolutions, max-pools and sums, image by image. */
import type { LpipsWeights } from "../../lpips/alexnet.ts"
import { alexnetLayers, normEps, normTiny, outSize, scalingScale, scalingShift } from "../../lpips/alexnet.ts"
import type { Reference } from "../contract.ts"
import type { LpipsAttrs } from "./spec.ts"

interface Map3 {
  readonly h: number
  readonly w: number
  readonly c: number
  readonly data: Float64Array
}

const maxPool = (x: Map3): Map3 => {
  const h = outSize(x.h, 3, 2, 0)
  const w = outSize(x.w, 3, 2, 0)
  const data = new Float64Array(h * w * x.c).fill(-Infinity)
  for (let y = 0; y < h; y++)
    for (let xo = 0; xo < w; xo++)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < x.c; k++) {
        const o = (y * w + xo) * x.c + k
        data[o] = Math.max(data[o] as number, x.data[((2 * y + i) * x.w + 2 * xo + j) * x.c + k] as number)
      }
  return { h, w, c: x.c, data }
}

const convRelu = (x: Map3, weights: LpipsWeights, layer: number): Map3 => {
  const { kernel: k, stride, pad } = alexnetLayers[layer] as (typeof alexnetLayers)[number]
  const conv = weights.convs[layer] as LpipsWeights["convs"][number]
  const co = conv.outChannels
  const h = outSize(x.h, k, stride, pad)
  const w = outSize(x.w, k, stride, pad)
  const data = new Float64Array(h * w * co)
  for (let y = 0; y < h; y++)
    for (let xo = 0; xo < w; xo++)
      for (let o = 0; o < co; o++) {
        let s = conv.bias[o] as number
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) {
            const sy = y * stride + i - pad
            const sx = xo * stride + j - pad
            if (sy < 0 || sx < 0 || sy >= x.h || sx >= x.w) continue
            for (let c = 0; c < x.c; c++) s += (x.data[(sy * x.w + sx) * x.c + c] as number) * (conv.weight[((i * k + j) * x.c + c) * co + o] as number)
          }
        data[(y * w + xo) * co + o] = Math.max(0, s)
      }
  return { h, w, c: co, data }
}

const features = (image: Float64Array, h: number, w: number, weights: LpipsWeights): Map3[] => {
  let x: Map3 = { h, w, c: 3, data: image.map((v, i) => (2 * v - 1 - (scalingShift[i % 3] as number)) / (scalingScale[i % 3] as number)) }
  return alexnetLayers.map((layer, i) => {
    if (layer.poolBefore) x = maxPool(x)
    x = convRelu(x, weights, i)
    return x
  })
}

const normalised = (f: Map3, pixel: number, k: number): number => {
  let s = 0
  for (let c = 0; c < f.c; c++) s += (f.data[pixel * f.c + c] as number) ** 2
  return (f.data[pixel * f.c + k] as number) / (Math.sqrt(s + normTiny) + normEps)
}

export const lpipsReference: Reference<"prediction" | "target", "out", LpipsAttrs> = {
  forward: ({ prediction, target }, { weights }) => {
    const [h, w] = prediction.shape as [number, number]
    const a = features(prediction.data, h, w, weights)
    const b = features(target.data, h, w, weights)
    let total = 0
    a.forEach((fa, l) => {
      const fb = b[l] as Map3
      const lin = weights.lins[l] as Float32Array
      let layer = 0
      for (let p = 0; p < fa.h * fa.w; p++) for (let k = 0; k < fa.c; k++) layer += (lin[k] as number) * (normalised(fa, p, k) - normalised(fb, p, k)) ** 2
      total += layer / (fa.h * fa.w)
    })
    return { out: { shape: [], data: Float64Array.of(total) } }
  }
}
