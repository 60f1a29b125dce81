/**
 * rasterize: differentiable 3D Gaussian splatting (EWA projection, 16x16 tiles,
 * depth-sorted front-to-back alpha compositing), as gsplat's classic mode.
 * Shapes: means [N, 3] world, colours [N, 3]; isotropic Gaussians: scales [N, 1]; anisotropic:
 * scales [N, 3] and rotations [N, 4]; opaque (opacity 1) or learned opacities [N]
 * -> image [H, W, 3], alpha [H, W], depth [H, W] or [0].
 * image = sum_k c_k alpha_k T_k + T background, alpha = 1 - T, depth = sum_k z_k alpha_k T_k.
 * Not differentiable: where a Gaussian crosses the alpha cut-offs (1/255, cap 0.99,
 * early stop at T <= 1e-4; the test-only `smooth` attr replaces them by smooth
 * functions), where two Gaussians swap depth order, at the Jacobian clamp and at
 * near/far culling. Opacities must lie in [0, 1] (the footprint radius assumes it).
 * Kernels, chosen once per backend when a graph is compiled: planar kernels on cpu (JavaScript)
 * and wasm (WebAssembly SIMD on the Backend layer's runner), packed WGSL kernels on webgpu
 * (src/raster/kernelNames.ts names them and what they save).
 */
import * as tf from "@tensorflow/tfjs"
import type { BackwardArgs, CustomKernel, KernelInputs, OpDef } from "../contract.ts"
import { defineOpDef } from "../contract.ts"
import type { PackedSavedName, PlanarSavedName } from "../../raster/kernelNames.ts"
import { backwardKernelName, backwardPlanarKernelName, forwardKernelName, forwardPlanarKernelName, gradColumns, packedSaved, planarSaved } from "../../raster/kernelNames.ts"
import { rasterizeKernelConfigs } from "../../raster/register.ts"
import type { TileRunner } from "../../raster/wasm/simdRaster.ts"
import type { RasterizeAttrs } from "./spec.ts"
import { rasterizeSpec } from "./spec.ts"

type Spec = typeof rasterizeSpec
type PlanarSaved = { readonly [K in PlanarSavedName]: tf.Tensor }
type PackedSaved = { readonly [K in PackedSavedName]: tf.Tensor }

/** The tensors a kernel takes: the inputs the mode uses (KernelInputs leaves the others out). */
const presentInputs = (inputs: KernelInputs<Spec>): tf.NamedTensorMap =>
  Object.fromEntries(Object.entries(inputs).filter((entry): entry is [string, tf.Tensor] => entry[1] !== undefined))

/** The kernel's outputs as a list (tfjs returns a lone output unwrapped). */
const runKernel = (name: string, inputs: tf.NamedTensorMap, attrs: RasterizeAttrs, tiles?: TileRunner): tf.Tensor[] => {
  const result = tf.engine().runKernel(name, inputs, { ...attrs, ...(tiles ? { tiles } : {}) } as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[]
  return Array.isArray(result) ? result : [result]
}

const named = <K extends string>(names: ReadonlyArray<K>, tensors: ReadonlyArray<tf.Tensor>): { readonly [P in K]: tf.Tensor } =>
  Object.fromEntries(names.map((n, i) => [n, tensors[i] as tf.Tensor])) as { readonly [P in K]: tf.Tensor }

const pixelGrads = ({ grads }: BackwardArgs<Spec, never>): tf.NamedTensorMap => ({ dImage: grads.image, dAlpha: grads.alpha, dDepth: grads.depth })

/** cpu (JavaScript) and wasm (SIMD on `tiles`): image, alpha and depth come out as separate tensors. */
const planarKernel = (tiles: TileRunner | undefined): CustomKernel<Spec, PlanarSaved> => ({
  _tag: "Custom",
  forward: (inputs, attrs) => {
    const [image, alpha, depth, ...saved] = runKernel(forwardPlanarKernelName, presentInputs(inputs), attrs, tiles) as [tf.Tensor, tf.Tensor, tf.Tensor, ...tf.Tensor[]]
    return { outputs: { image, alpha, depth }, saved: named(planarSaved, saved) }
  },
  backward: (args) => {
    const { inputs, saved, attrs } = args
    const [vMeans, vScales, vRotations, vOpacities, vColours] = runKernel(backwardPlanarKernelName, { ...presentInputs(inputs), ...saved, ...pixelGrads(args as BackwardArgs<Spec, never>) }, attrs, tiles) as tf.Tensor[]
    return { vMeans, vScales, vColours, ...(inputs.rotations ? { vRotations } : {}), ...(inputs.opacities ? { vOpacities } : {}) }
  }
})

const columns = (packed: tf.Tensor, first: number, width: number): tf.Tensor => tf.slice(packed, [0, first], [-1, width])

/** webgpu: the forward's pixels hold image, alpha and depth; the backward packs every gradient in one tensor. */
const packedKernel: CustomKernel<Spec, PackedSaved> = {
  _tag: "Custom",
  forward: (inputs, attrs) => {
    const saved = named(packedSaved, runKernel(forwardKernelName, presentInputs(inputs), attrs))
    const { pixels } = saved
    const image = tf.slice(pixels, [0, 0, 0], [-1, -1, 3])
    const alpha = tf.reshape(tf.slice(pixels, [0, 0, 3], [-1, -1, 1]), [attrs.height, attrs.width])
    const depth = attrs.withDepth ? tf.reshape(tf.slice(pixels, [0, 0, 4], [-1, -1, 1]), [attrs.height, attrs.width]) : tf.zeros([0])
    return { outputs: { image, alpha, depth }, saved }
  },
  backward: (args) => {
    const { inputs, saved, attrs } = args
    const [packed] = runKernel(backwardKernelName, { ...presentInputs(inputs), ...saved, ...pixelGrads(args as BackwardArgs<Spec, never>) }, attrs) as [tf.Tensor]
    const n = inputs.means.shape[0] as number
    return {
      vMeans: columns(packed, gradColumns.means, 3),
      vScales: columns(packed, gradColumns.scales, inputs.scales.shape[1] as number),
      vColours: columns(packed, gradColumns.colours, 3),
      ...(inputs.rotations ? { vRotations: columns(packed, gradColumns.rotations, 4) } : {}),
      ...(inputs.opacities ? { vOpacities: tf.reshape(columns(packed, gradColumns.opacities, 1), [n]) } : {})
    }
  }
}

export const rasterize: OpDef<Spec> = defineOpDef({
  spec: rasterizeSpec,
  kernel: { _tag: "PerBackend", select: (target) => (target.backend === "webgpu" ? packedKernel : planarKernel(target.rasterTiles)) },
  backendKernels: rasterizeKernelConfigs
})
