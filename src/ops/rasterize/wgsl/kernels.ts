import type * as tf from "@tensorflow/tfjs"
/** Not written yet. */
export const webgpuKernelConfigs: ReadonlyArray<tf.KernelConfig> = []
