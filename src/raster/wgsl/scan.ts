/**
 * WGSL inclusive prefix sum of int32 values (Hillis and Steele): step d adds
 * the value d places back, for d = 1, 2, 4, ... < n, so after log2(n) steps
 * out[i] = v[0] + ... + v[i]. O(n log n) additions in ceil(log2 n) dispatches,
 * each thread independent (no workgroup memory). Values [n] -> sums [n].
 */
import type * as tf from "@tensorflow/tfjs"
import type { WebGpuBackendLike } from "./common.ts"
import { FlatProgram } from "./common.ts"

class ScanStepProgram extends FlatProgram {
  shaderKey = "gavatarRasterizeScanStep"
  variableNames = ["values"]
  uniforms = "length: i32, distance: i32,"

  constructor(length: number) {
    super([length], length)
  }

  getUserCode(): string {
    return `
fn main(index: i32) {
  if (index >= uniforms.length) { return; }
  var sum = values[index];
  if (index >= uniforms.distance) { sum += values[index - uniforms.distance]; }
  result[index] = sum;
}
`
  }
}

/** Inclusive prefix sums of `values` (int32 [length]); disposes `values`, the caller disposes the result. */
export const inclusiveScan = (backend: WebGpuBackendLike, values: tf.TensorInfo, length: number): tf.TensorInfo => {
  let sums = values
  for (let distance = 1; distance < length; distance *= 2) {
    const next = backend.runWebGPUProgram(new ScanStepProgram(length), [sums], "int32", [
      { type: "int32", data: [length] },
      { type: "int32", data: [distance] }
    ])
    backend.disposeData(sums.dataId)
    sums = next
  }
  return sums
}
