/**
 * WGSL depth sort: keys (float32 depth bits, index) for every Gaussian, culled
 * ones last, then a bitonic sort over the next power of two. The result is the
 * stable (depth, index) order of the CPU kernel. Output: int32 [P, 2].
 */
import type * as tf from "@tensorflow/tfjs"
import type { WebGpuBackendLike } from "./common.ts"
import { FlatProgram, S, splatStride } from "./common.ts"

/** Larger than the bits of any finite positive float32: culled Gaussians sort last. */
const culledKey = 0x7fffffff

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

class BitonicStepProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeBitonic"
  variableNames = ["keys"]
  uniforms = "block: i32, stride: i32, padded: i32,"

  constructor(padded: number) {
    super([padded, 2], padded)
  }

  getUserCode(): string {
    return `
fn before(a: vec2<i32>, b: vec2<i32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }
fn main(index: i32) {
  if (index >= uniforms.padded) { return; }
  let partner = index ^ uniforms.stride;
  if (partner <= index) { return; }
  let a = vec2<i32>(keys[index * 2], keys[index * 2 + 1]);
  let b = vec2<i32>(keys[partner * 2], keys[partner * 2 + 1]);
  let ascending = (index & uniforms.block) == 0;
  var low = a; var high = b;
  if (before(b, a)) { low = b; high = a; }
  var first = low; var second = high;
  if (!ascending) { first = high; second = low; }
  result[index * 2] = first.x; result[index * 2 + 1] = first.y;
  result[partner * 2] = second.x; result[partner * 2 + 1] = second.y;
}
`
  }
}

/** Sorted (key, index) pairs of all Gaussians, culled last; the caller disposes the result. */
export const depthSort = (backend: WebGpuBackendLike, splats: tf.TensorInfo, count: number): tf.TensorInfo => {
  let padded = 1
  while (padded < Math.max(1, count)) padded *= 2
  let keys = backend.runWebGPUProgram(new SortKeysProgram(padded), [splats], "int32", [
    { type: "int32", data: [count] },
    { type: "int32", data: [padded] }
  ])
  for (let block = 2; block <= padded; block *= 2)
    for (let stride = block / 2; stride >= 1; stride /= 2) {
      const next = backend.runWebGPUProgram(new BitonicStepProgram(padded), [keys], "int32", [
        { type: "int32", data: [block] },
        { type: "int32", data: [stride] },
        { type: "int32", data: [padded] }
      ])
      backend.disposeData(keys.dataId)
      keys = next
    }
  return keys
}
