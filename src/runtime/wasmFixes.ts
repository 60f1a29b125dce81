/**
 * Fixes for the tfjs wasm backend 4.22 (measured on Node 20), installed as gradient
 * overrides that take effect only while the active backend is wasm:
 * - MatMul: wasm's transposed matMul is ~15x slower than a plain one, so the
 *   gradient transposes explicitly and multiplies plainly.
 * - Conv2D / Conv2DBackpropInput: wasm has no Conv2DBackpropFilter kernel; the
 *   filter gradient is composed from pad + slice + transpose + a dilated conv2d.
 *   Conv2D's input gradient is ops/conv2d/adjoint.ts (a stride-1 conv2d) instead of
 *   wasm's Conv2DBackpropInput kernel, a plain loop about 5x slower.
 * - Sum / Mean: the stock gradients multiply dy by a ones tensor of the input's
 *   shape that is filled in JavaScript and uploaded each time; these add dy to a
 *   natively filled zeros tensor (wasm's broadcastTo, a Tile, is ten times slower still).
 * - GatherV2: wasm has no UnsortedSegmentSum; the gradient scatters with ScatterNd
 *   (which sums duplicate indices).
 * - Slice / SplitV kernels that do not copy the whole input per slice (wasmSlice.ts).
 * Other backends keep tfjs's stock gradients.
 */
import * as tf from "@tensorflow/tfjs"
import type { ConvGeometry } from "../ops/conv2d/adjoint.ts"
import { conv2dAdjoint, convGeometry } from "../ops/conv2d/adjoint.ts"
import { installWasmSlice } from "./wasmSlice.ts"

type GradFunc = NonNullable<ReturnType<typeof tf.getGradient>>["gradFunc"]

const onWasm = (): boolean => tf.getBackend() === "wasm"

const swapLast = (t: tf.Tensor): tf.Tensor => {
  const perm = t.shape.map((_, i) => i)
  const n = perm.length
  ;[perm[n - 2], perm[n - 1]] = [perm[n - 1] as number, perm[n - 2] as number]
  return tf.transpose(t, perm)
}

const sameBatch = (a: tf.Tensor, b: tf.Tensor): boolean => a.rank === b.rank && a.shape.slice(0, -2).every((d, i) => d === b.shape[i])

/** Gradient of C = op(A) op(B) with explicit transposes, for equal batch dimensions. */
const matMulGrad = (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) => {
  const mm = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D)
  if (!transposeA && !transposeB) return { a: () => mm(dy, swapLast(b)), b: () => mm(swapLast(a), dy) }
  if (!transposeA && transposeB) return { a: () => mm(dy, b), b: () => mm(swapLast(dy), a) }
  if (transposeA && !transposeB) return { a: () => mm(b, swapLast(dy)), b: () => mm(a, dy) }
  return { a: () => mm(swapLast(b), swapLast(dy)), b: () => mm(swapLast(dy), swapLast(a)) }
}

/**
 * dW[kh,kw,ci,co] = sum_{b,oy,ox} X[b, oy*s+kh-top, ox*s+kw-left, ci] dY[b,oy,ox,co], computed as a
 * conv2d of X (channels as batch) with dY (batch as channels) dilated by the stride.
 */
export const conv2dFilterGrad = (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: readonly number[], strides: readonly [number, number], pads: Pick<ConvGeometry, "top" | "left">): tf.Tensor4D => {
  const [kh, kw] = filterShape as [number, number, number, number]
  const [, oh, ow] = dy.shape
  const rowsNeeded = (oh - 1) * strides[0] + kh
  const colsNeeded = (ow - 1) * strides[1] + kw
  const [, h, w] = x.shape
  const padded = tf.pad(x, [
    [0, 0],
    [pads.top, Math.max(0, rowsNeeded - h - pads.top)],
    [pads.left, Math.max(0, colsNeeded - w - pads.left)],
    [0, 0]
  ])
  const cropped = tf.slice(padded, [0, 0, 0, 0], [-1, rowsNeeded, colsNeeded, -1])
  const xT = tf.transpose(cropped, [3, 1, 2, 0]) as tf.Tensor4D
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D
  const grad = tf.conv2d(xT, dyT, 1, "valid", "NHWC", strides as [number, number])
  return tf.transpose(grad, [1, 2, 0, 3]) as tf.Tensor4D
}

type Attrs = Record<string, unknown>

const undilated = (dilations: unknown): boolean => dilations === undefined || (Array.isArray(dilations) ? dilations.every((d) => d === 1) : dilations === 1)

/** Marks the gradient configs registered here, so that installing twice leaves the first ones in place (tfjs's registry is per process). */
const ours = Symbol.for("gavatar.wasmFix")
const isOurs = (config: tf.GradConfig | undefined): boolean => config !== undefined && ours in config

const override = (kernelName: string, wasmGrad: (dy: tf.Tensor, saved: tf.Tensor[], attrs: Attrs, stock: GradFunc) => Record<string, () => tf.Tensor> | undefined) => {
  const stock = tf.getGradient(kernelName)
  if (!stock) throw new Error(`tfjs has no gradient for ${kernelName} to override`)
  if (isOurs(stock)) return
  tf.registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => (onWasm() ? wasmGrad(dy as tf.Tensor, saved, attrs as Attrs, stock.gradFunc) : undefined) ?? stock.gradFunc(dy, saved, attrs),
    [ours]: true
  } as tf.GradConfig)
}

/**
 * Gradients of a conv-like kernel whose inputs are (`dataInput`, filter): the data input keeps its stock
 * gradient; the filter gradient is conv2dFilterGrad of the image-side and gradient-side tensors that
 * `sides(incoming, dataInputValue)` picks.
 */
const convGrads = (
  dataInput: string,
  incoming: tf.Tensor,
  data: tf.Tensor | undefined,
  filter: tf.Tensor | undefined,
  attrs: Attrs,
  stock: GradFunc,
  sides: (incoming: tf.Tensor, data: tf.Tensor) => { image: tf.Tensor; grad: tf.Tensor }
): Record<string, () => tf.Tensor> | undefined => {
  if (!data || !filter || attrs["dataFormat"] === "NCHW") return undefined
  const strides = (typeof attrs["strides"] === "number" ? [attrs["strides"], attrs["strides"]] : attrs["strides"]) as [number, number]
  const { image, grad } = sides(incoming, data)
  const geometry = convGeometry(image.shape as [number, number, number, number], filter.shape, strides, attrs["pad"] as "same", attrs["dimRoundingMode"] as "floor" | undefined)
  const dataGrad =
    dataInput === "x" && undilated(attrs["dilations"])
      ? () => conv2dAdjoint(incoming as tf.Tensor4D, filter as tf.Tensor4D, geometry)
      : ((stock(incoming, [data, filter], attrs as never) as Record<string, () => tf.Tensor>)[dataInput] as () => tf.Tensor)
  return {
    [dataInput]: dataGrad,
    filter: () => conv2dFilterGrad(image as tf.Tensor4D, grad as tf.Tensor4D, filter.shape, strides, geometry)
  }
}

/**
 * Install the overrides into tfjs's gradient registry, which is one per process: a gradient this
 * module already installed is left as it is, so building several wasm Backend layers installs once.
 */
export const installWasmFixes = (): void => {
  const silence = console.warn
  console.warn = () => undefined
  try {
    override("BatchMatMul", (dy, [a, b], attrs) =>
      a && b && sameBatch(a, b) ? matMulGrad(dy, a, b, Boolean(attrs["transposeA"]), Boolean(attrs["transposeB"])) : undefined
    )
    // Conv2D(x, filter) -> y and Conv2DBackpropInput(dy, filter) -> dx are the same correlation seen
    // from either side: the filter gradient correlates the image side with the gradient side.
    override("Conv2D", (dy, [x, filter], attrs, stock) => convGrads("x", dy, x, filter, attrs, stock, (incoming, data) => ({ image: data, grad: incoming })))
    override("Conv2DBackpropInput", (ddx, [dy, filter], attrs, stock) => convGrads("dy", ddx, dy, filter, attrs, stock, (incoming, data) => ({ image: incoming, grad: data })))
    override("Sum", (dy, [x], attrs) => (x ? { x: () => broadcastReduced(dy, x.shape, attrs["axis"], 1) } : undefined))
    override("Mean", (dy, [x], attrs) => (x ? { x: () => broadcastReduced(dy, x.shape, attrs["axis"], reducedSize(x.shape, attrs["axis"])) } : undefined))
    override("GatherV2", (dy, [x, indices], attrs) => {
      if (!x || !indices || Number(attrs["batchDims"] ?? 0) !== 0) return undefined
      const axis = tf.util.parseAxisParam(attrs["axis"] as number, x.shape)[0] as number
      return { x: () => scatterGather(dy, x.shape, indices, axis), indices: () => tf.zerosLike(indices) }
    })
    installWasmSlice()
  } finally {
    console.warn = silence
  }
}

const reducedAxes = (shape: number[], axis: unknown): number[] => tf.util.parseAxisParam(axis as number | number[], shape)

const reducedSize = (shape: number[], axis: unknown): number => reducedAxes(shape, axis).reduce((n, a) => n * (shape[a] as number), 1)

/** dy of a reduction over `axis` spread back over the input's shape, divided by `divisor`. */
const broadcastReduced = (dy: tf.Tensor, shape: number[], axis: unknown, divisor: number): tf.Tensor => {
  const kept = shape.slice()
  for (const a of reducedAxes(shape, axis)) kept[a] = 1
  const scaled = divisor === 1 ? dy : tf.div(dy, divisor)
  return tf.add(tf.reshape(scaled, kept), tf.fill(shape, 0))
}

/** Gradient of gather(x, indices, axis) for x: the rows of dy summed into their source positions. */
const scatterGather = (dy: tf.Tensor, xShape: number[], indices: tf.Tensor, axis: number): tf.Tensor => {
  const idx = tf.reshape(indices, [-1, 1]) as tf.Tensor2D
  const count = idx.shape[0]
  const outer = xShape.slice(0, axis)
  const inner = xShape.slice(axis + 1)
  const moveAxis = (t: tf.Tensor, rank: number, from: number) => {
    const perm = [from, ...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== from)]
    return tf.transpose(t, perm)
  }
  const dyFront = moveAxis(tf.reshape(dy, [...outer, count, ...inner]), outer.length + 1 + inner.length, axis)
  const xFrontShape = [xShape[axis] as number, ...outer, ...inner]
  const summed = tf.scatterND(tf.cast(idx, "int32"), dyFront, xFrontShape)
  const back = Array.from({ length: xShape.length }, (_, i) => i)
  const perm = back.map((i) => (i < axis ? i + 1 : i === axis ? 0 : i))
  return tf.transpose(summed, perm)
}
