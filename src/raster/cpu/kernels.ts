/**
 * tfjs kernel configs of the rasteriser on the CPU backends (typed arrays in,
 * typed arrays out): the cpu backend (the reference backend) runs the
 * JavaScript kernel (cpuRaster.ts); the wasm backend runs the WebAssembly SIMD
 * kernel (wasm/simdRaster.ts), on one thread or on the two-thread pool
 * installed with useRasterThreads, except in the test-only smooth mode, which
 * only the JavaScript kernel implements.
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
import { backwardPlanarKernelName, forwardPlanarKernelName, savedName } from "../kernelNames.ts"
import type { RasterizeAttrs } from "../attrs.ts"
import type { RasterThreads } from "../wasm/threads.ts"
import type { TileRunner } from "../wasm/simdRaster.ts"
import { rasterizeBackwardSimd, rasterizeForwardSimd, singleThreadRunner } from "../wasm/simdRaster.ts"

type Values = Float32Array | Int32Array

let threads: RasterThreads | undefined
let oneThread: TileRunner | undefined

/** Route the wasm kernels through a two-thread pool (threads.ts), or back to one thread with undefined. */
export const useRasterThreads = (pool: RasterThreads | undefined): void => {
  threads = pool
}

/** The SIMD kernel's runner: the installed pool, else this thread (instantiated on first use). */
const simdRunner = (): TileRunner => threads ?? (oneThread ??= singleThreadRunner())

type ForwardPass = (g: GaussianArrays, cam: CameraSetup) => CpuForward
type BackwardPass = (g: GaussianArrays, cam: CameraSetup, forward: Omit<CpuForward, "pairs">, grads: PixelGrads) => InputGrads

const passes: Record<"cpu" | "wasm", { readonly forward: ForwardPass; readonly backward: BackwardPass }> = {
  cpu: { forward: rasterizeForwardCpu, backward: rasterizeBackwardCpu },
  wasm: {
    forward: (g, cam) => (cam.smooth ? rasterizeForwardCpu(g, cam) : rasterizeForwardSimd(simdRunner(), g, cam, "view")),
    backward: (g, cam, forward, grads) => (cam.smooth ? rasterizeBackwardCpu(g, cam, forward, grads) : rasterizeBackwardSimd(simdRunner(), g, cam, forward, grads))
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

const readGaussians = (io: TypedArrayBackend, inputs: tf.NamedTensorInfoMap): GaussianArrays => {
  const f = (name: string): Float32Array => {
    const values = io.read(inputs[name] as tf.TensorInfo)
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
    const out = forwardPass(g, cam)
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
      projected: read(savedName(0)) as Float32Array,
      bins: { tileOffsets: read(savedName(1)) as Int32Array, tileList: read(savedName(2)) as Int32Array }
    }
    const grads = backwardPass(g, cam, forward, { image: read("dImage") as Float32Array, alpha: read("dAlpha") as Float32Array, depth: read("dDepth") as Float32Array })
    const like = (name: string, values: Float32Array) => io.make([...(inputs[name] as tf.TensorInfo).shape], "float32", values)
    return [like("means", grads.means), like("scales", grads.scales), like("rotations", grads.rotations), like("opacities", grads.opacities), like("colours", grads.colours)]
  }

export const cpuKernelConfigs: ReadonlyArray<tf.KernelConfig> = (["cpu", "wasm"] as const).flatMap((backendName) => [
  { kernelName: forwardPlanarKernelName, backendName, kernelFunc: forwardFunc(adapters[backendName], passes[backendName].forward) },
  { kernelName: backwardPlanarKernelName, backendName, kernelFunc: backwardFunc(adapters[backendName], passes[backendName].backward) }
])
