/** The rasteriser's tfjs kernels on every backend (the op's backendKernels, registered when a graph is compiled). */
import type * as tf from "@tensorflow/tfjs"
import { cpuKernelConfigs } from "./cpu/kernels.ts"
import { webgpuKernelConfigs } from "./wgsl/kernels.ts"

export const rasterizeKernelConfigs: ReadonlyArray<tf.KernelConfig> = [...cpuKernelConfigs, ...webgpuKernelConfigs]
