/**
 * Memory of the tfjs backend: the wasm backend's WebAssembly heap, which only grows, up to 4 GiB
 * (wasm32 addresses), and holds every tensor.
 */
import * as tf from "@tensorflow/tfjs"

/** The wasm32 limit of a WebAssembly heap. */
export const wasmHeapLimit = 4 * 2 ** 30

interface WasmBackendLike {
  readonly wasm?: { readonly HEAPU8?: Uint8Array }
}

/** Bytes of the active wasm backend's heap now (its peak so far, since it never shrinks); 0 on other backends. */
export const wasmHeapBytes = (): number => {
  if (tf.getBackend() !== "wasm") return 0
  return (tf.backend() as unknown as WasmBackendLike).wasm?.HEAPU8?.buffer.byteLength ?? 0
}
