/** Idempotent registration of the rasteriser's tfjs kernels on every backend. */
import * as tf from "@tensorflow/tfjs"
import { cpuKernelConfigs } from "./cpu/kernels.ts"
import { webgpuKernelConfigs } from "./wgsl/kernels.ts"

export const rasterizeKernelConfigs: ReadonlyArray<tf.KernelConfig> = [...cpuKernelConfigs, ...webgpuKernelConfigs]

export const registerRasterizeKernels = (): void => {
  for (const config of rasterizeKernelConfigs) if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config)
}
