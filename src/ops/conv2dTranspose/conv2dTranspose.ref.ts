/** Float64 reference of conv2dTranspose: every input pixel scatters its kernel-weighted values. */
import { padBefore } from "../conv2d/conv2d.ref.ts"
import type { F64, Reference } from "../contract.ts"
import type { Conv2dTransposeAttrs } from "./spec.ts"
import { transposeOutputSize } from "./spec.ts"

export const conv2dTransposeReference: Reference<"x" | "filter", "out", Conv2dTransposeAttrs> = {
  forward: ({ x, filter }, a) => {
    const [h, w, ci] = x.shape as [number, number, number]
    const co = a.outChannels
    const oh = transposeOutputSize(h, a)
    const ow = transposeOutputSize(w, a)
    // The forward conv that this transposes maps the output size back to the input size.
    const top = padBefore(oh, a)
    const left = padBefore(ow, a)
    const data = new Float64Array(oh * ow * co)
    for (let y = 0; y < h; y++)
      for (let xi = 0; xi < w; xi++)
        for (let i = 0; i < a.kernel; i++)
          for (let j = 0; j < a.kernel; j++) {
            const ty = y * a.stride + i - top
            const tx = xi * a.stride + j - left
            if (ty < 0 || tx < 0 || ty >= oh || tx >= ow) continue
            for (let o = 0; o < co; o++) {
              let s = 0
              for (let c = 0; c < ci; c++) s += (x.data[(y * w + xi) * ci + c] as number) * (filter.data[((i * a.kernel + j) * co + o) * ci + c] as number)
              data[(ty * ow + tx) * co + o] = (data[(ty * ow + tx) * co + o] as number) + s
            }
          }
    const out: F64 = { shape: [oh, ow, co], data }
    return { out }
  }
}
