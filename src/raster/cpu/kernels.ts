/**
 * tfjs kernel configs of the rasteriser on the CPU backends (typed arrays in,
 * typed arrays out): the cpu backend (the reference backend) runs the
 * JavaScript kernel (cpuRaster.ts); the wasm backend runs the WebAssembly SIMD
 * kernel (wasm/simdRaster.ts) on the runner given as the attribute `tiles`
 * (one thread, or two: the Backend layer owns it), except in the test-only
 * smooth mode, which only the JavaScript kernel implements.
 */
import type * as tf from "@tensorflow/tfjs"
import type { CameraSetup } from "../camera.ts"
import { cameraSetup } from "../camera.ts"
import { pixelStride, PX } from "../composite.ts"
import type { PixelGrads } from "../compositeBackward.ts"
import type { CpuForward } from "./cpuRaster.ts"
import { rasterizeBackwardCpu, rasterizeForwardCpu } from "./cpuRaster.ts"
import type { GaussianArrays, InputGrads } from "../gaussians.ts"
import { gaussianArrays, projectedStride } from "../gaussians.ts"
import { backwardPlanarKernelName, forwardPlanarKernelName } from "../kernelNames.ts"
import type { RasterizeAttrs } from "../attrs.ts"
import type { TileRunner } from "../wasm/simdRaster.ts"
import { rasterizeBackwardSimd, rasterizeForwardSimd } from "../wasm/simdRaster.ts"

type Values = Float32Array | Int32Array

/** The SIMD runner a wasm planar kernel was given (attribute `tiles`). */
const tilesOf = (attrs: tf.NamedAttrMap): TileRunner => {
  const tiles = (attrs as unknown as { readonly tiles?: TileRunner }).tiles
  if (tiles === undefined) throw new Error("the wasm rasteriser needs its SIMD runner as attribute `tiles` (the Backend layer's; the kernel chosen for its target passes it)")
  return tiles
}

type ForwardPass = (g: GaussianArrays, cam: CameraSetup, attrs: tf.NamedAttrMap) => CpuForward
type BackwardPass = (g: GaussianArrays, cam: CameraSetup, forward: Omit<CpuForward, "pairs">, grads: PixelGrads, attrs: tf.NamedAttrMap) => InputGrads

const passes: Record<"cpu" | "wasm", { readonly forward: ForwardPass; readonly backward: BackwardPass }> = {
  cpu: { forward: rasterizeForwardCpu, backward: rasterizeBackwardCpu },
  wasm: {
    forward: (g, cam, attrs) => (cam.smooth ? rasterizeForwardCpu(g, cam) : rasterizeForwardSimd(tilesOf(attrs), g, cam, "view")),
    backward: (g, cam, forward, grads, attrs) => (cam.smooth ? rasterizeBackwardCpu(g, cam, forward, grads) : rasterizeBackwardSimd(tilesOf(attrs), g, cam, forward, grads))
  }
}

/** The two things a kernel needs from its backend: read a tensor, make one from values. */
interface TypedArrayBackend {
  readonly read: (info: tf.TensorInfo) => Values
  readonly make: (shape: number[], dtype: "float32" | "int32", values: Values) => tf.TensorInfo
}

interface CpuLike {
  readSync: (dataId: unknown) => unknown
  makeTensorInfo: (shape: number[], dtype: string, values: Values) => tf.TensorInfo
}
interface WasmLike {
  dataIdMap: { get: (dataId: unknown) => { memoryOffset: number; dtype: string } }
  wasm: { HEAPU8: Uint8Array }
  makeOutput: (shape: number[], dtype: string, memoryOffset: undefined, values: Values) => tf.TensorInfo
}

const adapters = {
  cpu: (backend: unknown): TypedArrayBackend => {
    const b = backend as CpuLike
    return { read: (info) => b.readSync(info.dataId) as Values, make: (shape, dtype, values) => b.makeTensorInfo(shape, dtype, values) }
  },
  /**
   * Reads are views into the wasm backend's heap (readSync would copy): valid until the backend next
   * allocates, which the kernels below only do once they no longer read their inputs (when making outputs).
   */
  wasm: (backend: unknown): TypedArrayBackend => {
    const b = backend as WasmLike
    const read = (info: tf.TensorInfo): Values => {
      const { memoryOffset, dtype } = b.dataIdMap.get(info.dataId)
      const size = info.shape.reduce((x, y) => x * y, 1)
      return dtype === "int32" ? new Int32Array(b.wasm.HEAPU8.buffer, memoryOffset, size) : new Float32Array(b.wasm.HEAPU8.buffer, memoryOffset, size)
    }
    return { read, make: (shape, dtype, values) => b.makeOutput(shape, dtype, undefined, values) }
  }
} as const

/** The inputs as arrays; an input the mode leaves out (rotations, opacities) is an empty array, as GaussianArrays lays it out. */
const readGaussians = (io: TypedArrayBackend, inputs: tf.NamedTensorInfoMap): GaussianArrays => {
  const f = (name: string): Float32Array => {
    const info = inputs[name]
    if (info === undefined) return new Float32Array(0)
    const values = io.read(info)
    return values instanceof Float32Array ? values : Float32Array.from(values)
  }
  return gaussianArrays(f("means"), f("scales"), f("rotations"), f("opacities"), f("colours"))
}

const forwardFunc =
  (adapter: (backend: unknown) => TypedArrayBackend, forwardPass: ForwardPass): tf.KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const io = adapter(backend)
    const cam = cameraSetup(attrs as unknown as RasterizeAttrs)
    const g = readGaussians(io, inputs)
    const out = forwardPass(g, cam, attrs ?? {})
    const { image, alpha, depth } = planarOutputs(out.pixels, cam)
    return [
      io.make([cam.height, cam.width, 3], "float32", image),
      io.make([cam.height, cam.width], "float32", alpha),
      io.make(cam.withDepth ? [cam.height, cam.width] : [0], "float32", depth),
      io.make([cam.height, cam.width, pixelStride], "float32", out.pixels),
      io.make([g.count, projectedStride], "float32", out.projected),
      io.make([out.bins.tileOffsets.length], "int32", out.bins.tileOffsets),
      io.make([out.bins.tileList.length], "int32", out.bins.tileList)
    ]
  }

/** The op's outputs from the (H, W, pixelStride) pixels: image (H, W, 3), alpha (H, W), depth (H, W) or empty. */
const planarOutputs = (pixels: Float32Array, cam: CameraSetup): { image: Float32Array; alpha: Float32Array; depth: Float32Array } => {
  const hw = cam.width * cam.height
  const image = new Float32Array(hw * 3)
  const alpha = new Float32Array(hw)
  const depth = new Float32Array(cam.withDepth ? hw : 0)
  for (let p = 0; p < hw; p++) {
    const q = p * pixelStride
    image[p * 3] = pixels[q + PX.colour] as number
    image[p * 3 + 1] = pixels[q + PX.colour + 1] as number
    image[p * 3 + 2] = pixels[q + PX.colour + 2] as number
    alpha[p] = pixels[q + PX.alpha] as number
  }
  if (cam.withDepth) for (let p = 0; p < hw; p++) depth[p] = pixels[p * pixelStride + PX.depth] as number
  return { image, alpha, depth }
}

const backwardFunc =
  (adapter: (backend: unknown) => TypedArrayBackend, backwardPass: BackwardPass): tf.KernelFunc =>
  ({ inputs, backend, attrs }) => {
    const io = adapter(backend)
    const cam = cameraSetup(attrs as unknown as RasterizeAttrs)
    const g = readGaussians(io, inputs)
    const read = (name: string) => io.read(inputs[name] as tf.TensorInfo)
    const forward: Omit<CpuForward, "pairs"> = {
      pixels: read("pixels") as Float32Array,
      projected: read("projected") as Float32Array,
      bins: { tileOffsets: read("tileOffsets") as Int32Array, tileList: read("tileList") as Int32Array }
    }
    const grads = backwardPass(g, cam, forward, { image: read("dImage") as Float32Array, alpha: read("dAlpha") as Float32Array, depth: read("dDepth") as Float32Array }, attrs ?? {})
    const like = (name: string, values: Float32Array) => io.make([...(inputs[name]?.shape ?? [0])], "float32", values)
    return [like("means", grads.means), like("scales", grads.scales), like("rotations", grads.rotations), like("opacities", grads.opacities), like("colours", grads.colours)]
  }

export const cpuKernelConfigs: ReadonlyArray<tf.KernelConfig> = (["cpu", "wasm"] as const).flatMap((backendName) => [
  { kernelName: forwardPlanarKernelName, backendName, kernelFunc: forwardFunc(adapters[backendName], passes[backendName].forward) },
  { kernelName: backwardPlanarKernelName, backendName, kernelFunc: backwardFunc(adapters[backendName], passes[backendName].backward) }
])
