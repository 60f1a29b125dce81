/**
 * Kernels that run on the host where tensors already live there: the cpu and wasm backends keep
 * tensor data in (WebAssembly) host memory, so reading it is a copy, while on webgpu it would be a
 * round trip through the GPU. Ops with a host path use it on those backends and tfjs ops elsewhere.
 */
import * as tf from "@tensorflow/tfjs"

export const onHost = (): boolean => tf.getBackend() !== "webgpu"

/**
 * Host copies by tensor data: tfjs data never changes once written (a variable's assign gives it new
 * data), so ops reading the same tensor (L1, SSIM and PSNR all read the render and the frame) share
 * one copy, dropped with the data.
 */
const copies = new WeakMap<object, Float32Array>()

/** The values of a float32 tensor on the host. Shared between readers: never write to it. */
export const hostValues = (t: tf.Tensor): Float32Array => {
  const known = copies.get(t.dataId)
  if (known) return known
  const values = t.dataSync() as Float32Array
  copies.set(t.dataId, values)
  return values
}

/** The value of a scalar tensor. */
export const hostScalar = (t: tf.Tensor): number => t.dataSync()[0] as number

/** A [h, w, c] tensor equal to `values` ([rows, cols, c] over rows [y0, y1) and columns [x0, x1)) and zero elsewhere. */
export const paddedTensor = (values: Float32Array, box: { readonly y0: number; readonly y1: number; readonly x0: number; readonly x1: number }, [h, w, c]: readonly [number, number, number]): tf.Tensor =>
  tf.tidy(() => tf.pad(tf.tensor3d(values, [box.y1 - box.y0, box.x1 - box.x0, c]), [[box.y0, h - box.y1], [box.x0, w - box.x1], [0, 0]]))
