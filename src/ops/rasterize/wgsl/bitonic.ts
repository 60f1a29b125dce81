/**
 * WGSL bitonic sort of int32 key pairs (a, b), ascending in a then b, over a
 * power-of-two length P. One dispatch per (block, stride) step, log2(P) (log2(P) + 1) / 2
 * steps; each thread orders the pair (i, i ^ stride), ascending when bit `block`
 * of i is 0. Equal keys cannot occur where it matters (b is unique), so the
 * order is total and the result deterministic. Keys [P, 2] -> keys [P, 2].
 */
import type * as tf from "@tensorflow/tfjs"
import type { WebGpuBackendLike } from "./common.ts"
import { FlatProgram } from "./common.ts"

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

/** The smallest power of two >= max(1, n). */
export const nextPowerOfTwo = (n: number): number => {
  let p = 1
  while (p < n) p *= 2
  return p
}

/** Sort keys [padded, 2] (padded a power of two); disposes `keys`, the caller disposes the result. */
export const bitonicSort = (backend: WebGpuBackendLike, keys: tf.TensorInfo, padded: number): tf.TensorInfo => {
  let sorted = keys
  for (let block = 2; block <= padded; block *= 2)
    for (let stride = block / 2; stride >= 1; stride /= 2) {
      const next = backend.runWebGPUProgram(new BitonicStepProgram(padded), [sorted], "int32", [
        { type: "int32", data: [block] },
        { type: "int32", data: [stride] },
        { type: "int32", data: [padded] }
      ])
      backend.disposeData(sorted.dataId)
      sorted = next
    }
  return sorted
}
