/**
 * Regions of denseBlock's buffers in the shared memory, and copies of tensors' values in and out
 * without allocating JavaScript arrays of [N, O] (allocating one of a few MB costs more here than
 * the layer's matrix product): inputs are read as views of the tfjs-wasm heap, outputs are made
 * from views of the shared memory (tfjs-wasm copies a new tensor's values into its heap).
 */
import * as tf from "@tensorflow/tfjs"
import type { DenseRunner } from "./runner.ts"

interface WasmBackendLike {
  readonly dataIdMap: { get: (dataId: unknown) => { memoryOffset: number } }
  readonly wasm: { readonly HEAPU8: Uint8Array }
}

/** A float32 tensor's values: a view into tfjs-wasm's heap (valid until tfjs next allocates), or a copy on other backends. */
export const valuesOf = (t: tf.Tensor): Float32Array => {
  if (tf.getBackend() !== "wasm") return t.dataSync() as Float32Array
  const backend = tf.backend() as unknown as WasmBackendLike
  return new Float32Array(backend.wasm.HEAPU8.buffer, backend.dataIdMap.get(t.dataId).memoryOffset, t.size)
}

/** A tensor of the [rows, cols] matrix stored in rows of `ld` floats at byte address `at`. */
export const tensorFrom = (heap: Float32Array, at: number, rows: number, cols: number, ld: number): tf.Tensor2D => {
  const copies = tf.getBackend() === "wasm"
  const values = cols === ld && copies ? heap.subarray(at / 4, at / 4 + rows * cols) : readMatrix(heap, at, rows, cols, ld)
  return tf.tensor2d(values, [rows, cols])
}

export const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4

/** Byte offsets of named float32 regions (16-byte aligned), placed one after the other from `base`. */
export const place = <K extends string>(runner: DenseRunner, sizes: Readonly<Record<K, number>>): Record<K, number> => {
  const offsets = {} as Record<K, number>
  let bytes = 0
  for (const key of Object.keys(sizes) as K[]) {
    offsets[key] = bytes
    bytes += roundUp4(sizes[key]) * 4
  }
  const base = runner.reserve(bytes)
  for (const key of Object.keys(sizes) as K[]) offsets[key] += base
  return offsets
}

/** Write a [rows, cols] matrix into rows of `ld` floats at byte address `at`, zero past `cols`. */
export const writeMatrix = (heap: Float32Array, at: number, values: Float32Array, rows: number, cols: number, ld: number): void => {
  const start = at / 4
  if (cols === ld) {
    heap.set(values, start)
    return
  }
  heap.fill(0, start, start + rows * ld)
  for (let r = 0; r < rows; r++) heap.set(values.subarray(r * cols, (r + 1) * cols), start + r * ld)
}

/** The [rows, cols] matrix stored in rows of `ld` floats at byte address `at` (a copy). */
export const readMatrix = (heap: Float32Array, at: number, rows: number, cols: number, ld: number): Float32Array => {
  const start = at / 4
  const out = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) out.set(heap.subarray(start + r * ld, start + r * ld + cols), r * cols)
  return out
}

/** Zero `count` floats at byte address `at`. */
export const zero = (heap: Float32Array, at: number, count: number): void => {
  heap.fill(0, at / 4, at / 4 + count)
}

/** The sum of the two threads' partial vectors of `count` floats at `at` and `at + stride` bytes, as float64. */
export const sumParts = (heap: Float32Array, at: number, stride: number, count: number): Float64Array => {
  const out = new Float64Array(count)
  for (let c = 0; c < count; c++) out[c] = (heap[at / 4 + c] as number) + (heap[(at + stride) / 4 + c] as number)
  return out
}
