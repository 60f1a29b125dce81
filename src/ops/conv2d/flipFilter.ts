/**
 * flipFilter(W) for W [KH, KW, I, O]: the filter turned by 180 degrees in space with its channel
 * axes swapped, out[kh, kw, o, i] = W[KH-1-kh, KW-1-kw, i, o] (what the adjoint of conv2d
 * correlates with: adjoint.ts). Linear and its own adjoint's shape: the gradient is flipFilter of
 * the output's gradient (swapping back O and I). On cpu and wasm it is one pass over typed arrays
 * (tfjs-wasm's Reverse takes ~50 ms for a 3x3x256x256 filter, as long as the convolution it
 * serves); other backends keep tfjs's reverse and transpose.
 */
import * as tf from "@tensorflow/tfjs"

const flipValues = (w: Float32Array | Int32Array | Uint8Array, [kh, kw, ci, co]: readonly number[]): Float32Array => {
  const out = new Float32Array(w.length)
  const block = (ci as number) * (co as number)
  const taps = (kh as number) * (kw as number)
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * block
    const to = t * block
    for (let i = 0; i < (ci as number); i++) for (let o = 0; o < (co as number); o++) out[to + o * (ci as number) + i] = w[from + i * (co as number) + o] as number
  }
  return out
}

const flipOnHost = (t: tf.Tensor4D): tf.Tensor4D => {
  const [kh, kw, ci, co] = t.shape
  return tf.tensor4d(flipValues(t.dataSync(), t.shape), [kh, kw, co, ci])
}

const flipWithTf = (t: tf.Tensor4D): tf.Tensor4D => tf.tidy(() => tf.transpose(tf.reverse(t, [0, 1]), [0, 1, 3, 2]))

const onHost = (): boolean => tf.getBackend() === "wasm" || tf.getBackend() === "cpu"

export const flipFilter = (filter: tf.Tensor4D): tf.Tensor4D =>
  onHost()
    ? (tf.customGrad((...args: unknown[]) => ({ value: flipOnHost(args[0] as tf.Tensor4D), gradFunc: (dy: tf.Tensor) => flipOnHost(dy as tf.Tensor4D) }))(filter) as tf.Tensor4D)
    : flipWithTf(filter)
