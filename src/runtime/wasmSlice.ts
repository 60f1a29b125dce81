/**
 * Slice and SplitV for the tfjs wasm backend 4.22 without a copy of the whole input per slice: the
 * stock Slice reads its input with readSync (a fresh JavaScript copy of all of x, for each slice;
 * SplitV slices once per part), which made splitting a custom op's flat outputs (ops/apply.ts) a
 * large share of a training step. These allocate the output first, then read x as a view of the
 * wasm heap (valid: nothing allocates while it is read) and copy its contiguous runs. Strings and
 * ranks above 6 keep the stock kernels.
 */
import * as tf from "@tensorflow/tfjs"

interface WasmBackendLike {
  readonly dataIdMap: { get: (dataId: unknown) => { memoryOffset: number } }
  readonly wasm: { readonly HEAPU8: Uint8Array }
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo
}

const view = (backend: WasmBackendLike, info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array => {
  const offset = backend.dataIdMap.get(info.dataId).memoryOffset
  const size = tf.util.sizeFromShape(info.shape)
  const buffer = backend.wasm.HEAPU8.buffer
  if (info.dtype === "int32") return new Int32Array(buffer, offset, size)
  if (info.dtype === "bool") return new Uint8Array(buffer, offset, size)
  return new Float32Array(buffer, offset, size)
}

/** Copy the block `size` at `begin` of x (row-major, `shape`) into out, one contiguous innermost run at a time. */
const copyBlock = <A extends Float32Array | Int32Array | Uint8Array>(x: A, shape: ReadonlyArray<number>, begin: ReadonlyArray<number>, size: ReadonlyArray<number>, out: A): void => {
  const rank = shape.length
  const strides = tf.util.computeStrides([...shape])
  const run = size[rank - 1] as number
  const outer = size.slice(0, -1)
  const index = new Array<number>(rank - 1).fill(0)
  const count = tf.util.sizeFromShape(outer)
  for (let r = 0; r < count; r++) {
    let from = begin[rank - 1] as number
    for (let d = 0; d < rank - 1; d++) from += ((begin[d] as number) + (index[d] as number)) * (strides[d] as number)
    out.set(x.subarray(from, from + run) as A, r * run)
    for (let d = rank - 2; d >= 0 && ++(index[d] as number) >= (outer[d] as number); d--) index[d] = 0
  }
}

const sliceInto = (backend: WasmBackendLike, x: tf.TensorInfo, begin: ReadonlyArray<number>, size: number[]): tf.TensorInfo => {
  const out = backend.makeOutput(size, x.dtype)
  if (tf.util.sizeFromShape(size) === 0) return out
  const target = view(backend, out)
  const source = view(backend, x)
  if (x.shape.length <= 1) target.set(source.subarray(begin[0] ?? 0, (begin[0] ?? 0) + (size[0] ?? 0)) as never)
  else copyBlock(source, x.shape, begin, size, target)
  return out
}

const handled = (x: tf.TensorInfo): boolean => x.dtype !== "string" && x.shape.length <= 6

/** Marks the kernels registered here, so that installing twice keeps them. */
const ours = Symbol.for("gavatar.wasmSlice")

const replace = (kernelName: string, kernelFunc: (stock: tf.KernelFunc) => tf.KernelFunc): void => {
  const stock = tf.getKernel(kernelName, "wasm")
  if (!stock || ours in stock) return
  tf.unregisterKernel(kernelName, "wasm")
  tf.registerKernel({ ...stock, kernelFunc: kernelFunc(stock.kernelFunc), [ours]: true } as tf.KernelConfig)
}

export const installWasmSlice = (): void => {
  replace("Slice", (stock) => (args) => {
    const x = args.inputs["x"] as tf.TensorInfo
    if (!handled(x)) return stock(args)
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, args.attrs?.["begin"] as number[], args.attrs?.["size"] as number[]) as [number[], number[]]
    return sliceInto(args.backend as unknown as WasmBackendLike, x, begin, size)
  })
  replace("SplitV", (stock) => (args) => {
    const x = args.inputs["x"] as tf.TensorInfo
    if (!handled(x)) return stock(args)
    const axis = tf.util.parseAxisParam(args.attrs?.["axis"] as number, x.shape)[0] as number
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, args.attrs?.["numOrSizeSplits"] as number[], axis)
    const begin = new Array<number>(x.shape.length).fill(0)
    return sizes.map((s) => {
      const size = [...x.shape]
      size[axis] = s
      const part = sliceInto(args.backend as unknown as WasmBackendLike, x, [...begin], size)
      begin[axis] = (begin[axis] as number) + s
      return part
    })
  })
}
