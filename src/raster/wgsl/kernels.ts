/**
 * tfjs kernel configs of the rasteriser on the webgpu backend, all in WGSL
 * with the algorithm and constants of the CPU kernel: projection (project.ts),
 * depth sort (sort.ts), binning into per-tile lists (binning.ts), tile
 * compositing (rasterForward.ts) and its backward (rasterBackward.ts,
 * projectBackward.ts). Saved for the backward: splats (N, 16) and bins (tileBins.ts), by name.
 * Nothing is read back to the CPU: NaN inputs are not checked here, and a
 * scene with more (tile, Gaussian) pairs than the capacity of binning.ts is
 * composited from the whole depth-sorted list (exact, slower).
 */
import type * as tf from "@tensorflow/tfjs"
import { cameraSetup } from "../camera.ts"
import { backwardKernelName, forwardKernelName, gradColumns } from "../kernelNames.ts"
import type { RasterizeAttrs } from "../attrs.ts"
import { binTiles } from "./binning.ts"
import type { Uniform, WebGpuBackendLike } from "./common.ts"
import { cameraBuffer, splatGradWidth } from "./common.ts"
import { ProjectProgram } from "./project.ts"
import { ProjectBackwardProgram } from "./projectBackward.ts"
import { RasterBackwardProgram } from "./rasterBackward.ts"
import { RasterForwardProgram, tileUniformValues } from "./rasterForward.ts"
import { depthSort } from "./sort.ts"

type Inputs = tf.NamedTensorInfoMap

/** Bind a 1-element stand-in for empty or absent inputs (rotations, opacities left out by the mode): WebGPU cannot bind an empty buffer. */
const nonEmpty = (backend: WebGpuBackendLike, info: tf.TensorInfo | undefined, temporaries: tf.TensorInfo[]): tf.TensorInfo => {
  if (info !== undefined && info.shape.reduce((a, b) => a * b, 1) > 0) return info
  const stand = backend.makeTensorInfo([1], "float32", new Float32Array(1))
  temporaries.push(stand)
  return stand
}

interface Prepared {
  readonly count: number
  readonly cam: ReturnType<typeof cameraSetup>
  readonly camera: tf.TensorInfo
  readonly gaussians: { readonly [K in "means" | "scales" | "rotations" | "opacities" | "colours"]: tf.TensorInfo }
  readonly temporaries: tf.TensorInfo[]
}

const prepare = (backend: WebGpuBackendLike, inputs: Inputs, attrs: RasterizeAttrs): Prepared => {
  const means = inputs["means"] as tf.TensorInfo
  const scales = inputs["scales"] as tf.TensorInfo
  const count = means.shape[0] as number
  const cam = cameraSetup(attrs)
  const scaleDims = scales.shape[1] === 1 ? 1 : 3
  const camera = backend.makeTensorInfo([cameraBuffer(cam, 1, false, false).length], "float32", cameraBuffer(cam, scaleDims, attrs.gaussians._tag === "Anisotropic", attrs.opacity._tag === "Learned"))
  const temporaries: tf.TensorInfo[] = [camera]
  const use = (name: string) => nonEmpty(backend, inputs[name], temporaries)
  return { count, cam, camera, temporaries, gaussians: { means: use("means"), scales: use("scales"), rotations: use("rotations"), opacities: use("opacities"), colours: use("colours") } }
}

const countUniform = (count: number): Uniform[] => [{ type: "int32", data: [count] }]

const forward: tf.KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WebGpuBackendLike
  const { count, cam, camera, gaussians: g, temporaries } = prepare(backend, inputs, attrs as unknown as RasterizeAttrs)
  const splats = backend.runWebGPUProgram(new ProjectProgram(count), [camera, g.means, g.scales, g.rotations, g.opacities, g.colours], "float32", countUniform(count))
  const order = depthSort(backend, splats, count)
  const bins = binTiles(backend, splats, order, count, cam)
  backend.disposeData(order.dataId)
  const pixels = backend.runWebGPUProgram(new RasterForwardProgram(cam.width, cam.height, cam.tilesX, cam.tilesY), [camera, splats, bins], "float32", tileUniformValues(cam.tilesX, cam.tilesY))
  for (const t of temporaries) backend.disposeData(t.dataId)
  return [pixels, splats, bins]
}

const backward: tf.KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WebGpuBackendLike
  const { count, cam, camera, gaussians: g, temporaries } = prepare(backend, inputs, attrs as unknown as RasterizeAttrs)
  if (count === 0) {
    for (const t of temporaries) backend.disposeData(t.dataId)
    return backend.makeTensorInfo([0, gradColumns.width], "float32", new Float32Array(0))
  }
  const use = (name: string) => nonEmpty(backend, inputs[name], temporaries)
  const splats = inputs["splats"] as tf.TensorInfo
  const bins = inputs["bins"] as tf.TensorInfo
  const zeros = backend.makeTensorInfo([count, splatGradWidth], "float32", new Float32Array(count * splatGradWidth))
  const withDepth: Uniform = { type: "int32", data: [cam.withDepth ? 1 : 0] }
  const splatGrads = backend.runWebGPUProgram(
    new RasterBackwardProgram(count, cam.tilesX, cam.tilesY),
    [camera, splats, bins, use("pixels"), use("dImage"), use("dAlpha"), use("dDepth")],
    "float32",
    [...tileUniformValues(cam.tilesX, cam.tilesY), withDepth],
    zeros
  )
  const packed = backend.runWebGPUProgram(new ProjectBackwardProgram(count), [camera, g.means, g.scales, g.rotations, splats, splatGrads], "float32", countUniform(count))
  backend.disposeData(splatGrads.dataId)
  for (const t of temporaries) backend.disposeData(t.dataId)
  return packed
}

export const webgpuKernelConfigs: ReadonlyArray<tf.KernelConfig> = [
  { kernelName: forwardKernelName, backendName: "webgpu", kernelFunc: forward },
  { kernelName: backwardKernelName, backendName: "webgpu", kernelFunc: backward }
]
