/**
 * ssim: with mu = G * x (Gaussian window G, zero padding, per channel), sigma_xy = G * (x y) - mu_x mu_y,
 *   map = ((2 mu_x mu_y + C1)(2 sigma_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2)),
 *   out = mean(map), loss = 1 - out. C1 = 0.01^2, C2 = 0.03^2 (images in [0, 1]).
 * Shapes: prediction, target [H, W, C] -> out, loss [] (scalars). Smooth everywhere (C1, C2 > 0).
 * On the cpu and wasm backends the forward and the analytic backward run on the host, only around
 * the pixels where the images differ (ssimHost.ts: exact, the map is 1 elsewhere), the window sums
 * as WebAssembly SIMD separable blurs; on webgpu the same math runs as tfjs ops (ssimTf.ts).
 */
import * as tf from "@tensorflow/tfjs"
import type { CustomKernel, KernelTarget, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { hostReader, hostScalar, onHost, paddedTensor } from "../host.ts"
import { ssimSpec } from "./spec.ts"
import type { HostImages } from "./ssimHost.ts"
import { ssimBackwardHost, ssimForwardHost } from "./ssimHost.ts"
import { ssimGradTf, ssimValueTf } from "./ssimTf.ts"
import { windowSums } from "./windowSums.ts"

/** The gradient reaching `out`: d out - d loss (loss = 1 - out). */
const outGrad = (grads: { readonly out: tf.Tensor; readonly loss: tf.Tensor }): tf.Tensor => tf.sub(grads.out, grads.loss)

const tfKernel: CustomKernel<typeof ssimSpec> = {
  _tag: "Custom",
  forward: ({ prediction, target }, a) => {
    const out = ssimValueTf(prediction, target, a.window, a.sigma)
    return { outputs: { out, loss: tf.sub(1, out) }, saved: {} }
  },
  backward: ({ inputs: { prediction, target }, grads, attrs: a }) => ssimGradTf(prediction, target, a.window, a.sigma, outGrad(grads))
}

/** The map's partial derivatives over the crop (one [4, rows, cols, c] tensor) and the crop; none when the images are equal. */
type HostSaved = { readonly derivatives?: tf.Tensor; readonly y0: number; readonly y1: number; readonly x0: number; readonly x1: number }

/** A host kernel with its own blur memory and input copies (made once per compiled graph). */
const hostKernel = (): CustomKernel<typeof ssimSpec, HostSaved> => {
  const read = hostReader()
  const blur = windowSums()
  const images = (prediction: tf.Tensor, target: tf.Tensor): HostImages => ({ prediction: read(prediction), target: read(target), shape: prediction.shape as [number, number, number] })
  return {
    _tag: "Custom",
    forward: ({ prediction, target }, a) => {
      const forward = ssimForwardHost(images(prediction, target), a.window, a.sigma, blur)
      const outputs = { out: tf.scalar(forward.value), loss: tf.scalar(1 - forward.value) }
      if (forward.saved === undefined) return { outputs, saved: { y0: 0, y1: 0, x0: 0, x1: 0 } }
      return { outputs, saved: { derivatives: tf.tensor(forward.saved.derivatives), ...forward.saved.region } }
    },
    backward: ({ inputs: { prediction, target }, saved, grads, attrs: a }) => {
      if (saved.derivatives === undefined) return { vPrediction: tf.zerosLike(prediction), vTarget: tf.zerosLike(target) }
      const g = hostScalar(grads.out) - hostScalar(grads.loss)
      const given = images(prediction, target)
      const region = { y0: saved.y0, y1: saved.y1, x0: saved.x0, x1: saved.x1 }
      const v = ssimBackwardHost(given, { region, derivatives: read(saved.derivatives) }, a.window, a.sigma, g, blur)
      return { vPrediction: paddedTensor(v.vPrediction, region, given.shape), vTarget: paddedTensor(v.vTarget, region, given.shape) }
    }
  }
}

export const ssim: OpDef<typeof ssimSpec> = defineOpDef({
  spec: ssimSpec,
  kernel: { _tag: "PerBackend", select: (target: KernelTarget) => (onHost(target) ? hostKernel() : tfKernel) }
})
