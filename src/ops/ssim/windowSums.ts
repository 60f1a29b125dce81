/**
 * Gaussian window sums of image crops with the SIMD kernels of blurKernel.ts: planes of `rows` rows
 * of `len` floats (pixels of `channels` interleaved values) are written into one WebAssembly memory,
 * blurred down the columns, then along the rows, with zero padding at the plane's borders. Each
 * windowSums() owns its memory, reused across calls (it only grows); the pads stay zero because
 * only the planes' own values are ever written.
 */
import { instantiateBlur } from "./blurKernel.ts"
import type { BlurExports } from "./blurKernel.ts"

export interface PlaneShape {
  readonly rows: number
  readonly len: number
  readonly channels: number
}

/** Where a plane's row i starts (a float index into `heap`); `len` floats follow. */
export type RowStart = (i: number) => number

const roundUp4 = (n: number): number => Math.ceil(n / 4) * 4

/**
 * Blur `count` planes, plane p written by `fill(p, heap, rowStart)`. The results are [rows, len4]
 * views into the memory (len4 = len rounded up to 4; read row i at i * len4), valid until the next call.
 */
export type BlurPlanes = (shape: PlaneShape, window: Float64Array, count: number, fill: (plane: number, heap: Float32Array, rowStart: RowStart) => void) => { readonly planes: Float32Array[]; readonly len4: number }

/** A blur with its own memory and kernels. */
export const windowSums = (): BlurPlanes => {
  const instance: { readonly memory: WebAssembly.Memory; readonly kernels: BlurExports } = instantiateBlur()
  return (shape, window, count, fill) => blurWith(instance, shape, window, count, fill)
}

const blurWith = (
  { memory, kernels }: { readonly memory: WebAssembly.Memory; readonly kernels: BlurExports },
  shape: PlaneShape,
  window: Float64Array,
  count: number,
  fill: (plane: number, heap: Float32Array, rowStart: RowStart) => void
): { readonly planes: Float32Array[]; readonly len4: number } => {
  const n = window.length
  const pad = roundUp4((n >> 1) * shape.channels)
  const len4 = roundUp4(shape.len)
  const stride = pad + len4 + pad
  const planeBytes = shape.rows * stride * 4
  const outputBytes = shape.rows * len4 * 4
  const taps = 0
  const source = 16 * Math.ceil((n * 4) / 16)
  const middle = source + planeBytes
  const outputs = middle + planeBytes
  const end = outputs + count * outputBytes
  if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536))
  const heap = new Float32Array(memory.buffer)
  heap.set(Float32Array.from(window), taps / 4)
  heap.fill(0, source / 4, outputs / 4)
  const planes: Float32Array[] = []
  for (let p = 0; p < count; p++) {
    fill(p, heap, (i) => source / 4 + i * stride + pad)
    const out = outputs + p * outputBytes
    kernels.blurColumns(source + pad * 4, middle + pad * 4, shape.rows, len4, stride, taps, n)
    kernels.blurRows(middle + pad * 4, out, shape.rows, len4, stride, len4, shape.channels, taps, n)
    planes.push(heap.subarray(out / 4, (out + outputBytes) / 4))
  }
  return { planes, len4 }
}
