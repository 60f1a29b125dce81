/**
 * tfjs wasm 4.22's Identity kernel copies its input into a new buffer. tfjs's engine runs Identity
 * for every tensor it saves for a gradient (its clone), so on wasm each saved input or output of
 * every kernel of a training step was a second copy. tfjs tensors are immutable (a variable's assign
 * swaps buffers), so Identity can share the buffer, counted, as the wasm backend's Reshape and the
 * cpu backend's Identity do.
 */
import * as tf from "@tensorflow/tfjs"

interface WasmBackendRefs {
  incRef(dataId: unknown): void
}

const sharingIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs["x"] as tf.TensorInfo
  ;(backend as unknown as WasmBackendRefs).incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

/** Replace wasm's copying Identity with the sharing one (once per process; tfjs's kernel registry is global). */
export const shareWasmIdentity = (): void => {
  const kernel = tf.getKernel("Identity", "wasm")
  if (!kernel || kernel.kernelFunc === sharingIdentity) return
  tf.unregisterKernel("Identity", "wasm")
  tf.registerKernel({ kernelName: "Identity", backendName: "wasm", kernelFunc: sharingIdentity })
}
