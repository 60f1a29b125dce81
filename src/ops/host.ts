/**
 * Kernels that run on the host where tensors already live there: the cpu and wasm backends keep
 * tensor data in (WebAssembly) host memory, so reading it is a copy, while on webgpu it would be a
 * round trip through the GPU. Ops with a host path choose it for those backends (PerBackend) and
 * tfjs ops for webgpu.
 */
import * as tf from "@tensorflow/tfjs"
import type { KernelTarget } from "./contract.ts"

export const onHost = (target: KernelTarget): boolean => target.backend !== "webgpu"

/**
 * Host copies by tensor data, for one kernel instance: tfjs data never changes once written (a
 * variable's assign gives it new data), so a forward and its backward read each input once; a copy
 * is dropped with its data.
 */
export const hostReader = (): ((t: tf.Tensor) => Float32Array) => {
  const copies = new WeakMap<object, Float32Array>()
  return (t) => {
    const known = copies.get(t.dataId)
    if (known) return known
    const values = t.dataSync() as Float32Array
    copies.set(t.dataId, values)
    return values
  }
}

/** The value of a scalar tensor. */
export const hostScalar = (t: tf.Tensor): number => t.dataSync()[0] as number

/** Rows [y0, y1) and columns [x0, x1) of an image. */
export interface HostBox {
  readonly y0: number
  readonly y1: number
  readonly x0: number
  readonly x1: number
}

/** A [h, w, c] tensor equal to `values` ([rows, cols, c] over the box) and zero elsewhere. */
export const paddedTensor = (values: Float32Array, box: HostBox, [h, w, c]: readonly [number, number, number]): tf.Tensor =>
  tf.tidy(() => tf.pad(tf.tensor3d(values, [box.y1 - box.y0, box.x1 - box.x0, c]), [[box.y0, h - box.y1], [box.x0, w - box.x1], [0, 0]]))
