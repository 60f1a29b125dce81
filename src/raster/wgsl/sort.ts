/**
 * WGSL depth sort: keys (float32 depth bits, index) for every Gaussian, culled
 * ones last, then a bitonic sort (bitonic.ts) over the next power of two. The
 * result is the stable (depth, index) order of the CPU kernel (tiles.ts
 * depthOrder): positive float32 depths order as their bit patterns (near > 0).
 * Output: int32 [P, 2] of (key, Gaussian index); the position in it is the
 * Gaussian's depth rank.
 */
import type * as tf from "@tensorflow/tfjs"
import { bitonicSort, nextPowerOfTwo } from "./bitonic.ts"
import type { WebGpuBackendLike } from "./common.ts"
import { FlatProgram, S, splatStride } from "./common.ts"

/** Larger than the bits of any finite positive float32: culled Gaussians (and padding) sort last. */
export const culledKey = 0x7fffffff

class SortKeysProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeSortKeys"
  variableNames = ["splats"]
  uniforms = "count: i32, padded: i32,"

  constructor(padded: number) {
    super([padded, 2], padded)
  }

  getUserCode(): string {
    return `
fn main(index: i32) {
  if (index >= uniforms.padded) { return; }
  var key = ${culledKey};
  if (index < uniforms.count && splats[index * ${splatStride} + ${S.radiusX}] > 0.0) {
    key = bitcast<i32>(splats[index * ${splatStride} + ${S.depth}]);
  }
  result[index * 2] = key;
  result[index * 2 + 1] = index;
}
`
  }
}

/** Sorted (key, index) pairs of all Gaussians, culled last; the caller disposes the result. */
export const depthSort = (backend: WebGpuBackendLike, splats: tf.TensorInfo, count: number): tf.TensorInfo => {
  const padded = nextPowerOfTwo(count)
  const keys = backend.runWebGPUProgram(new SortKeysProgram(padded), [splats], "int32", [
    { type: "int32", data: [count] },
    { type: "int32", data: [padded] }
  ])
  return bitonicSort(backend, keys, padded)
}
