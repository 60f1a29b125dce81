/** Float64 reference of conv2d: a direct loop over output pixels, taps and channels. */
import type { F64, Reference } from "../contract.ts"
import type { Conv2dAttrs } from "./spec.ts"
import { convOutputSize } from "./spec.ts"

/** TensorFlow's "same" padding puts the odd pixel at the end: pad before = floor(total / 2). */
export const padBefore = (size: number, a: Pick<Conv2dAttrs, "kernel" | "stride" | "padding">): number => {
  if (a.padding === "valid") return 0
  const out = convOutputSize(size, a)
  return Math.floor(Math.max((out - 1) * a.stride + a.kernel - size, 0) / 2)
}

export const conv2dReference: Reference<"x" | "filter", "out", Conv2dAttrs> = {
  forward: ({ x, filter }, a) => {
    const [h, w, ci] = x.shape as [number, number, number]
    const co = a.outChannels
    const oh = convOutputSize(h, a)
    const ow = convOutputSize(w, a)
    const top = padBefore(h, a)
    const left = padBefore(w, a)
    const data = new Float64Array(oh * ow * co)
    for (let y = 0; y < oh; y++)
      for (let xo = 0; xo < ow; xo++)
        for (let i = 0; i < a.kernel; i++)
          for (let j = 0; j < a.kernel; j++) {
            const sy = y * a.stride + i - top
            const sx = xo * a.stride + j - left
            if (sy < 0 || sx < 0 || sy >= h || sx >= w) continue
            for (let c = 0; c < ci; c++) {
              const v = x.data[(sy * w + sx) * ci + c] as number
              for (let o = 0; o < co; o++) data[(y * ow + xo) * co + o] = (data[(y * ow + xo) * co + o] as number) + v * (filter.data[((i * a.kernel + j) * ci + c) * co + o] as number)
            }
          }
    const out: F64 = { shape: [oh, ow, co], data }
    return { out }
  }
}
