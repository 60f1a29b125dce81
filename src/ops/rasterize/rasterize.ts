/**
 * rasterize: differentiable 3D Gaussian splatting (EWA projection, 16x16 tiles,
 * depth-sorted front-to-back alpha compositing), as gsplat's classic mode.
 * Shapes: means [N, 3] world, scales [N, 3] or [N, 1], rotations [N, 4] or [0, 4],
 * opacities [N] or [0], colours [N, 3] -> image [H, W, 3], alpha [H, W], depth [H, W] or [0].
 * image = sum_k c_k alpha_k T_k + T background, alpha = 1 - T, depth = sum_k z_k alpha_k T_k.
 * Not differentiable: where a Gaussian crosses the alpha cut-offs (1/255, cap 0.99,
 * early stop at T <= 1e-4; the test-only `smooth` attr replaces them by smooth
 * functions), where two Gaussians swap depth order, at the Jacobian clamp and at
 * near/far culling. Opacities must lie in [0, 1] (the footprint radius assumes it).
 * Kernels: cpuKernels.ts (cpu: JavaScript; wasm: WebAssembly SIMD, wasm/; both planar, see
 * kernelNames.ts), wgsl/kernels.ts (webgpu, packed); reference rasterize.ref.ts.
 */
import * as tf from "@tensorflow/tfjs"
import type { CustomKernel, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import { backwardKernelName, backwardPlanarKernelName, forwardKernelName, forwardPlanarKernelName, gradColumns, savedName } from "../../raster/kernelNames.ts"
import { rasterizeKernelConfigs, registerRasterizeKernels } from "../../raster/register.ts"
import type { RasterizeAttrs } from "./spec.ts"
import { rasterizeSpec } from "./spec.ts"

type Input = "means" | "scales" | "rotations" | "opacities" | "colours"

/** Whether the active backend registers the planar kernels (kernelNames.ts): cpu and wasm do. */
const planar = (): boolean => {
  registerRasterizeKernels()
  return tf.getKernel(forwardPlanarKernelName, tf.getBackend()) !== undefined
}

const runKernel = (name: string, inputs: tf.NamedTensorMap, attrs: RasterizeAttrs): tf.Tensor[] => tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[]

const columns = (packed: tf.Tensor, first: number, width: number): tf.Tensor => tf.slice(packed, [0, first], [-1, width])

const kernel: CustomKernel<Input, "image" | "alpha" | "depth", RasterizeAttrs, unknown> = {
  _tag: "Custom",
  forward: (inputs, attrs) => {
    if (planar()) {
      const [image, alpha, depth, ...saved] = runKernel(forwardPlanarKernelName, { ...inputs }, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor, ...tf.Tensor[]]
      return { outputs: { image, alpha, depth }, saved, aux: undefined }
    }
    const [pixels, ...saved] = runKernel(forwardKernelName, { ...inputs }, attrs) as [tf.Tensor, ...tf.Tensor[]]
    const image = tf.slice(pixels, [0, 0, 0], [-1, -1, 3])
    const alpha = tf.reshape(tf.slice(pixels, [0, 0, 3], [-1, -1, 1]), [attrs.height, attrs.width])
    const depth = attrs.withDepth ? tf.reshape(tf.slice(pixels, [0, 0, 4], [-1, -1, 1]), [attrs.height, attrs.width]) : tf.zeros([0])
    return { outputs: { image, alpha, depth }, saved: [pixels, ...saved], aux: undefined }
  },
  backward: ({ inputs, saved, grads, attrs }) => {
    const [pixels, ...rest] = saved as [tf.Tensor, ...tf.Tensor[]]
    const backwardInputs: tf.NamedTensorMap = { ...inputs, pixels, dImage: grads.image, dAlpha: grads.alpha, dDepth: grads.depth }
    rest.forEach((t, k) => (backwardInputs[savedName(k)] = t))
    if (planar()) {
      const [vMeans, vScales, vRotations, vOpacities, vColours] = runKernel(backwardPlanarKernelName, backwardInputs, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]
      return { vMeans, vScales, vRotations, vOpacities, vColours }
    }
    const packed = tf.engine().runKernel(backwardKernelName, backwardInputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor
    const n = inputs.means.shape[0] as number
    return {
      vMeans: columns(packed, gradColumns.means, 3),
      vScales: columns(packed, gradColumns.scales, inputs.scales.shape[1] as number),
      vRotations: inputs.rotations.size === 0 ? tf.zeros([0, 4]) : columns(packed, gradColumns.rotations, 4),
      vOpacities: inputs.opacities.size === 0 ? tf.zeros([0]) : tf.reshape(columns(packed, gradColumns.opacities, 1), [n]),
      vColours: columns(packed, gradColumns.colours, 3)
    }
  }
}

export const rasterize: OpDef<typeof rasterizeSpec> = defineOpDef({
  spec: rasterizeSpec,
  kernel,
  backendKernels: rasterizeKernelConfigs
})

export { registerRasterizeKernels }
