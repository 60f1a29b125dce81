/**
 * softSilhouette: a differentiable silhouette of B sets of N 2D points (pixel centres at integers):
 *   alpha[b, y, x] = 1 - prod_n (1 - g(|(x, y) - p_bn|^2)),  g the footprint of footprint.ts
 * (opacity (1 - d2/R^2)^3 inside radius R; the reference uses footprint.ts's functions, the kernel inlines them). With T = 1 - alpha:
 *   d alpha / d p_n = T / (1 - g_n) dg_n / dp_n.
 * Shapes: points [B, N, 2] -> alpha [B, H, W]. Smooth everywhere (the footprint is C2 and zero at R);
 * opacity < 1 keeps 1 - g > 0. Custom kernel: plain loops over each point's (2R + 1)^2 window, in
 * JavaScript on host copies (the fit runs on the CPU backends).
 */
import * as tf from "@tensorflow/tfjs"
import type { CustomKernel, ResolvedOpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { SoftSilhouetteAttrs } from "./spec.ts"
import { softSilhouetteSpec } from "./spec.ts"

/** log T per pixel, [B * H * W]. Loops are written out (no tuples, no **): this runs every fit step. */
export const logTransmittance = (points: Float32Array | Float64Array, b: number, n: number, a: SoftSilhouetteAttrs): Float64Array => {
  const { width: w, height: h, radius, opacity } = a
  const r2 = radius * radius
  const logT = new Float64Array(b * h * w)
  for (let s = 0; s < b; s++)
    for (let i = 0; i < n; i++) {
      const u = points[(s * n + i) * 2]!, v = points[(s * n + i) * 2 + 1]!
      const y0 = Math.max(0, Math.ceil(v - radius)), y1 = Math.min(h - 1, Math.floor(v + radius))
      const x0 = Math.max(0, Math.ceil(u - radius)), x1 = Math.min(w - 1, Math.floor(u + radius))
      for (let y = y0; y <= y1; y++) {
        const dy2 = (y - v) * (y - v)
        const row = (s * h + y) * w
        for (let x = x0; x <= x1; x++) {
          const d2 = (x - u) * (x - u) + dy2
          if (d2 >= r2) continue
          const q = 1 - d2 / r2
          logT[row + x]! += Math.log(1 - opacity * q * q * q)
        }
      }
    }
  return logT
}

const backwardPoints = (points: Float32Array, transmittance: Float32Array, dAlpha: Float32Array, b: number, n: number, a: SoftSilhouetteAttrs): Float32Array => {
  const { width: w, height: h, radius, opacity } = a
  const r2 = radius * radius
  const grad = new Float32Array(b * n * 2)
  for (let s = 0; s < b; s++)
    for (let i = 0; i < n; i++) {
      const u = points[(s * n + i) * 2]!, v = points[(s * n + i) * 2 + 1]!
      const y0 = Math.max(0, Math.ceil(v - radius)), y1 = Math.min(h - 1, Math.floor(v + radius))
      const x0 = Math.max(0, Math.ceil(u - radius)), x1 = Math.min(w - 1, Math.floor(u + radius))
      let gu = 0, gv = 0
      for (let y = y0; y <= y1; y++) {
        const dy2 = (y - v) * (y - v)
        const row = (s * h + y) * w
        for (let x = x0; x <= x1; x++) {
          const d2 = (x - u) * (x - u) + dy2
          if (d2 >= r2) continue
          const q = 1 - d2 / r2
          // dg/dp = 6 opacity q^2 / R^2 (pixel - p); d alpha / d g = T / (1 - g)
          const k = (dAlpha[row + x]! * transmittance[row + x]! * ((6 * opacity * q * q) / r2)) / (1 - opacity * q * q * q)
          gu += k * (x - u)
          gv += k * (y - v)
        }
      }
      grad[(s * n + i) * 2] = gu
      grad[(s * n + i) * 2 + 1] = gv
    }
  return grad
}

/** The forward keeps its output and the batch and point counts for the backward. */
const kernel: CustomKernel<typeof softSilhouetteSpec, { readonly alpha: tf.Tensor; readonly b: number; readonly n: number }> = {
  _tag: "Custom",
  forward: ({ points }, a) => {
    const [b, n] = points.shape as [number, number, number]
    const logT = logTransmittance(points.dataSync() as Float32Array, b, n, a)
    const values = new Float32Array(logT.length)
    for (let i = 0; i < logT.length; i++) values[i] = -Math.expm1(logT[i]!) // (Float32Array.from with a map is ~50x slower)
    const alpha = tf.tensor3d(values, [b, a.height, a.width])
    return { outputs: { alpha }, saved: { alpha, b, n } }
  },
  backward: ({ inputs, grads, attrs, saved }) => {
    const alpha = saved.alpha.dataSync() as Float32Array
    const transmittance = new Float32Array(alpha.length)
    for (let i = 0; i < alpha.length; i++) transmittance[i] = 1 - alpha[i]!
    const g = backwardPoints(inputs.points.dataSync() as Float32Array, transmittance, grads.alpha.dataSync() as Float32Array, saved.b, saved.n, attrs)
    return { vPoints: tf.tensor3d(g, [saved.b, saved.n, 2]) }
  }
}

export const softSilhouette: ResolvedOpDef<typeof softSilhouetteSpec> = defineOpDef({
  spec: softSilhouetteSpec,
  kernel
})
