/**
 * Live tensor bytes in the tfjs wasm backend's heap, and their peak, by watching the backend's
 * allocations (move, and makeOutput of buffers its C++ kernels allocated) and frees (disposeData
 * when a buffer's last reference goes). A buffer shared by views counts once. tfjs's own
 * memory().numBytes counts every tensor object, views and clones included.
 */
import * as tf from "@tensorflow/tfjs"

interface WasmBackendLike {
  dataIdMap: { has(dataId: unknown): boolean }
  move(dataId: unknown, values: unknown, shape: number[], dtype: string, refCount: number): void
  makeOutput(shape: number[], dtype: string, memoryOffset?: number, values?: unknown): tf.TensorInfo
  disposeData(dataId: unknown, force?: boolean): boolean
}

export interface LiveBytes {
  readonly live: () => number
  readonly peak: () => number
  /** Start a new peak from the live bytes now. */
  readonly resetPeak: () => void
}

const bytesOf = (shape: ReadonlyArray<number>, dtype: string): number => shape.reduce((a, b) => a * b, 1) * (dtype === "bool" ? 1 : 4)

/** Watch the active wasm backend (once per process). */
export const watchWasmBytes = (): LiveBytes => {
  const backend = tf.backend() as unknown as WasmBackendLike
  const sizes = new Map<unknown, number>()
  let live = 0
  let peak = 0
  const add = (dataId: unknown, bytes: number) => {
    sizes.set(dataId, bytes)
    live += bytes
    peak = Math.max(peak, live)
  }
  const move = backend.move.bind(backend)
  backend.move = (dataId, values, shape, dtype, refCount) => {
    move(dataId, values, shape, dtype, refCount)
    if (dtype !== "string") add(dataId, bytesOf(shape, dtype))
  }
  const makeOutput = backend.makeOutput.bind(backend)
  backend.makeOutput = (shape, dtype, memoryOffset, values) => {
    const info = makeOutput(shape, dtype, memoryOffset, values)
    if (memoryOffset != null) add(info.dataId, bytesOf(shape, dtype))
    return info
  }
  const disposeData = backend.disposeData.bind(backend)
  backend.disposeData = (dataId, force) => {
    const freed = disposeData(dataId, force)
    if (!backend.dataIdMap.has(dataId) && sizes.has(dataId)) {
      live -= sizes.get(dataId) as number
      sizes.delete(dataId)
    }
    return freed
  }
  return { live: () => live, peak: () => peak, resetPeak: () => void (peak = live) }
}
