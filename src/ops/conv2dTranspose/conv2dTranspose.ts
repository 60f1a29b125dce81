/**
 * conv2dTranspose: out[y*s + i - top, x*s + j - left, o] += x[y, x, c] filter[i, j, o, c]
 * (the adjoint of conv2d with the same kernel, stride and padding; "same" with K=4, s=2 is
 * PyTorch's ConvTranspose2d(4, stride 2, padding 1)). No bias.
 * Shapes: x [H, W, Ci], filter [K, K, Co, Ci] -> out [H*s, W*s, Co] ("same").
 * Computed as conv2d/adjoint.ts (a dilated stride-1 conv2d: tfjs wasm's Conv2DBackpropInput is a slow loop).
 * Smooth everywhere. tfjs derives the gradient (wasm filter gradient: runtime/wasmFixes.ts).
 */
import * as tf from "@tensorflow/tfjs"
import type { ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { conv2dAdjoint, convGeometry } from "../conv2d/adjoint.ts"
import { conv2dTransposeSpec, transposeOutputSize } from "./spec.ts"

export const conv2dTranspose: ResolvedOpDef<typeof conv2dTransposeSpec> = defineOpDef({
  spec: conv2dTransposeSpec,
  kernel: {
    _tag: "Autodiff",
    forward: ({ x, filter }, a) => {
      const shape: [number, number, number, number] = [1, transposeOutputSize(a.height, a), transposeOutputSize(a.width, a), a.outChannels]
      const geometry = convGeometry(shape, filter.shape, [a.stride, a.stride], a.padding)
      return { out: tf.squeeze(conv2dAdjoint(tf.expandDims(x, 0) as tf.Tensor4D, filter as tf.Tensor4D, geometry), [0]) }
    }
  }
})
