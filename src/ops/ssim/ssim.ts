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
import type { CustomKernel, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { SsimAttrs } from "./spec.ts"
import { ssimSpec } from "./spec.ts"
import { hostScalar, hostValues, onHost, paddedTensor } from "../host.ts"
import type { HostImages, SsimForward } from "./ssimHost.ts"
import { ssimBackwardHost, ssimForwardHost } from "./ssimHost.ts"
import { ssimGradTf, ssimValueTf } from "./ssimTf.ts"

const hostImages = (prediction: tf.Tensor, target: tf.Tensor): HostImages => ({
  prediction: hostValues(prediction),
  target: hostValues(target),
  shape: prediction.shape as [number, number, number]
})

/** The host forward and the images it read (the backward reads them again). */
interface HostState {
  readonly images: HostImages
  readonly forward: SsimForward
}

/** The gradient reaching `out`: d out - d loss (loss = 1 - out). */
const outGrad = (grads: { readonly out: tf.Tensor; readonly loss: tf.Tensor }): tf.Tensor => tf.sub(grads.out, grads.loss)

const kernel: CustomKernel<"prediction" | "target", "out" | "loss", SsimAttrs, HostState | undefined> = {
  _tag: "Custom",
  forward: ({ prediction, target }, a) => {
    if (!onHost()) {
      const out = ssimValueTf(prediction, target, a.window, a.sigma)
      return { outputs: { out, loss: tf.sub(1, out) }, saved: [], aux: undefined }
    }
    const images = hostImages(prediction, target)
    const forward = ssimForwardHost(images, a.window, a.sigma)
    return { outputs: { out: tf.scalar(forward.value), loss: tf.scalar(1 - forward.value) }, saved: [], aux: { images, forward } }
  },
  backward: ({ inputs: { prediction, target }, aux, grads: outputGrads, attrs: a }) => {
    if (aux === undefined) return ssimGradTf(prediction, target, a.window, a.sigma, outGrad(outputGrads))
    const g = hostScalar(outputGrads.out) - hostScalar(outputGrads.loss)
    const grads = ssimBackwardHost(aux.images, aux.forward, a.window, a.sigma, g)
    if (grads === undefined) return { vPrediction: tf.zerosLike(prediction), vTarget: tf.zerosLike(target) }
    return { vPrediction: paddedTensor(grads.vPrediction, grads.region, aux.images.shape), vTarget: paddedTensor(grads.vTarget, grads.region, aux.images.shape) }
  }
}

export const ssim: OpDef<typeof ssimSpec> = defineOpDef({ spec: ssimSpec, kernel: kernel as CustomKernel<"prediction" | "target", "out" | "loss", SsimAttrs, unknown> })
