/**
 * WGSL bitonic sort of int32 key pairs (a, b), ascending in a then b, over a
 * power-of-two length P: for block = 2, 4, .. P and stride = block / 2 .. 1,
 * each pair (i, i + stride) with bit `stride` of i clear is put in order,
 * ascending when bit `block` of i is 0. Steps with stride >= 512 run here, one
 * dispatch each; the others run in workgroup memory (bitonicLocal.ts), one
 * dispatch per block. Keys b are unique where it matters, so the order is
 * total and the result deterministic. Keys [P, 2] -> keys [P, 2].
 */
import type * as tf from "@tensorflow/tfjs"
import { BitonicLocalProgram, localChunk } from "./bitonicLocal.ts"
import type { WebGpuBackendLike } from "./common.ts"
import { FlatProgram, wgslKeyOrder } from "./common.ts"

class BitonicStepProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeBitonic"
  variableNames = ["keys"]
  uniforms = "block: i32, stride: i32, padded: i32,"

  constructor(padded: number) {
    super([padded, 2], padded)
  }

  getUserCode(): string {
    return `
${wgslKeyOrder}
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
  const run = (program: BitonicStepProgram | BitonicLocalProgram, ...values: number[]) => {
    const next = backend.runWebGPUProgram(program, [sorted], "int32", values.map((v) => ({ type: "int32" as const, data: [v] })))
    backend.disposeData(sorted.dataId)
    sorted = next
  }
  run(new BitonicLocalProgram(padded), 0, padded)
  for (let block = 2 * localChunk; block <= padded; block *= 2) {
    for (let stride = block / 2; stride >= localChunk; stride /= 2) run(new BitonicStepProgram(padded), block, stride, padded)
    run(new BitonicLocalProgram(padded), block, padded)
  }
  return sorted
}
