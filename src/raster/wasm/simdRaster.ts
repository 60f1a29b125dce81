/**
 * Driver of the WebAssembly SIMD rasteriser (hard cut-offs): projection and
 * binning stay in JavaScript (projection.ts, tiles.ts); the splats, tile lists
 * and pixel buffers are laid out in one shared WebAssembly.Memory and the
 * tiles are composited (forward) or replayed (backward) by the module's
 * kernels, on this thread alone or split with a worker (threads.ts) that
 * instantiates the same module on the same memory. Buffers are reused across
 * calls (the memory only grows, up to 1 GiB: about 2 million Gaussians with
 * two threads); nothing is allocated per pixel or Gaussian. The smooth
 * test-only mode is not implemented here (cpu/kernels.ts runs the JavaScript
 * kernel for it).
 */
import type { CameraSetup } from "../camera.ts"
import { powerCutoff } from "../composite.ts"
import type { PixelGrads } from "../compositeBackward.ts"
import type { CpuForward } from "../cpu/cpuRaster.ts"
import { emptyInputGrads, projectAndBin } from "../cpu/cpuRaster.ts"
import type { GaussianArrays, InputGrads } from "../gaussians.ts"
import { projectedStride, splatGradStride } from "../gaussians.ts"
import { projectionBackward } from "../projectionBackward.ts"
import type { TileBins } from "../tiles.ts"
import { C, configBytes, gradBytes, pixelBytes, S, splatBytes } from "./layout.ts"
import { maxPages, rasterWasmBytes } from "./rasterWasm.ts"

export interface RasterExports {
  readonly forwardTiles: (cfg: number) => number
  readonly backwardTiles: (cfg: number) => void
  readonly reduceGrads: (cfg: number, n: number) => void
}

/** The module, emitted and compiled anew (a few milliseconds): runners are made once per Backend layer. */
export const rasterModule = (): WebAssembly.Module => new WebAssembly.Module(rasterWasmBytes() as Uint8Array<ArrayBuffer>)
export const instantiateRaster = (memory: WebAssembly.Memory): RasterExports => new WebAssembly.Instance(rasterModule(), { env: { memory } }).exports as unknown as RasterExports
export const rasterMemory = (): WebAssembly.Memory => new WebAssembly.Memory({ initial: 1, maximum: maxPages, shared: true })

/** Runs the kernels of config blocks 0 (here) and, with two threads, 1 (on the worker); returns the pairs evaluated. */
export interface TileRunner {
  readonly threads: 1 | 2
  readonly memory: WebAssembly.Memory
  readonly run: (kind: "forward" | "backward", count: number) => number
}

/** One thread: this thread's instance on its own memory. */
export const singleThreadRunner = (): TileRunner => {
  const memory = rasterMemory()
  const kernels = instantiateRaster(memory)
  return {
    threads: 1,
    memory,
    run: (kind, count) => {
      if (kind === "forward") return kernels.forwardTiles(0)
      kernels.backwardTiles(0)
      kernels.reduceGrads(0, count)
      return 0
    }
  }
}

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16

/** Bump allocation of regions from byte 0 of the memory, growing it to fit. */
const regions = (memory: WebAssembly.Memory, sizes: Readonly<Record<string, number>>): Record<string, number> => {
  const at: Record<string, number> = {}
  let end = 0
  for (const [name, bytes] of Object.entries(sizes)) {
    at[name] = end
    end += align(Math.max(16, bytes))
  }
  const have = memory.buffer.byteLength
  if (end > have) memory.grow(Math.ceil((end - have) / 65536))
  return at
}

/** The tile where the cumulative list length passes half of the total. */
const middleTile = (bins: TileBins): number => {
  const offsets = bins.tileOffsets
  const half = (offsets[offsets.length - 1] as number) / 2
  let t = 0
  while (t < offsets.length - 1 && (offsets[t] as number) < half) t++
  return t
}

const longestTile = (bins: TileBins): number => {
  let most = 0
  for (let t = 0; t + 1 < bins.tileOffsets.length; t++) most = Math.max(most, (bins.tileOffsets[t + 1] as number) - (bins.tileOffsets[t] as number))
  return most
}

/** Splat records (layout.ts S) of every Gaussian, written at byte `at`. */
const writeSplats = (heap: Float32Array, at: number, g: GaussianArrays, projected: Float32Array): void => {
  const opaqueCutoff = powerCutoff(1)
  const stride = splatBytes / 4
  const hasOpacities = g.opacities.length !== 0
  for (let i = 0; i < g.count; i++) {
    const o = at / 4 + i * stride
    for (let k = 0; k < projectedStride; k++) heap[o + k] = projected[i * projectedStride + k] as number
    const opacity = hasOpacities ? (g.opacities[i] as number) : 1
    heap[o + S.opacity / 4] = opacity
    heap[o + S.cutoff / 4] = hasOpacities ? powerCutoff(opacity) : opaqueCutoff
    for (let c = 0; c < 3; c++) heap[o + S.colour / 4 + c] = g.colours[i * 3 + c] as number
  }
}

interface Scene {
  readonly at: Record<string, number>
  readonly heap: Float32Array
}

/** Lay out and write what both passes read; `extra` regions are appended. Config k covers its half of the tiles. */
const writeScene = (runner: TileRunner, g: GaussianArrays, cam: CameraSetup, projected: Float32Array, bins: TileBins, extra: Record<string, number>): Scene => {
  const pixels = cam.width * cam.height + 4
  const subStride = (longestTile(bins) + 1) * 4
  const sub = 16 * subStride
  const at = regions(runner.memory, { config: 2 * configBytes, splats: g.count * splatBytes, tileOffsets: bins.tileOffsets.byteLength, tileList: bins.tileList.byteLength, pixels: pixels * pixelBytes, sub0: sub, sub1: runner.threads === 2 ? sub : 0, ...extra })
  const buffer = runner.memory.buffer
  const heap = new Float32Array(buffer)
  const ints = new Int32Array(buffer)
  writeSplats(heap, at.splats as number, g, projected)
  ints.set(bins.tileOffsets, (at.tileOffsets as number) / 4)
  ints.set(bins.tileList, (at.tileList as number) / 4)
  const tiles = cam.tilesX * cam.tilesY
  const split = runner.threads === 2 ? middleTile(bins) : tiles
  for (let k = 0; k < 2; k++) {
    const c = k * configBytes
    const set = (field: number, value: number) => (ints[(c + field) / 4] = value)
    set(C.splats, at.splats as number)
    set(C.tileOffsets, at.tileOffsets as number)
    set(C.tileList, at.tileList as number)
    set(C.pixels, at.pixels as number)
    set(C.width, cam.width)
    set(C.height, cam.height)
    set(C.tilesX, cam.tilesX)
    for (let ch = 0; ch < 3; ch++) heap[(c + C.backgroundR) / 4 + ch] = cam.background[ch] as number
    set(C.sub, at[`sub${k}`] as number)
    set(C.subStride, subStride)
    set(C.grads, at[`grads${k}`] ?? 0)
    set(C.reduced, at[`reduced${k}`] ?? 0)
    set(C.dImage, at.dImage ?? 0)
    set(C.dAlpha, at.dAlpha ?? 0)
    set(C.dDepth, at.dDepth ?? 0)
    set(C.first, k === 0 ? 0 : split)
    set(C.end, k === 0 ? split : tiles)
  }
  return { at, heap }
}

/**
 * Forward pass: the same outputs as cpuRaster.ts rasterizeForwardCpu (hard mode), from the SIMD kernel.
 * With pixels "view", the pixels are a view into the runner's memory, valid until its next call.
 */
export const rasterizeForwardSimd = (runner: TileRunner, g: GaussianArrays, cam: CameraSetup, pixels: "copy" | "view" = "copy"): CpuForward => {
  const { projected, bins } = projectAndBin(g, cam)
  const { at, heap } = writeScene(runner, g, cam, projected, bins, {})
  const pairs = runner.run("forward", g.count)
  const start = (at.pixels as number) / 4
  const end = start + cam.width * cam.height * (pixelBytes / 4)
  return { pixels: pixels === "copy" ? heap.slice(start, end) : heap.subarray(start, end), projected, bins, pairs }
}

/** Backward pass: the input gradients of rasterizeBackwardCpu (hard mode), from the SIMD kernel. */
export const rasterizeBackwardSimd = (runner: TileRunner, g: GaussianArrays, cam: CameraSetup, forward: Omit<CpuForward, "pairs">, grads: PixelGrads): InputGrads => {
  const hw = cam.width * cam.height
  const accumulators = g.count * gradBytes
  const reduced = g.count * splatGradStride * 4
  const second = runner.threads === 2 ? 1 : 0
  const extra = { dImage: (hw + 4) * 12, dAlpha: (hw + 4) * 4, dDepth: (hw + 4) * 4, grads0: accumulators, grads1: second * accumulators, reduced0: reduced, reduced1: second * reduced }
  const { at, heap } = writeScene(runner, g, cam, forward.projected, forward.bins, extra)
  const put = (name: string, values: Float32Array, length: number) => {
    const start = (at[name] as number) / 4
    if (values.length === 0) heap.fill(0, start, start + length)
    else heap.set(values, start)
  }
  put("pixels", forward.pixels, hw * (pixelBytes / 4))
  put("dImage", grads.image, hw * 3)
  put("dAlpha", grads.alpha, hw)
  put("dDepth", grads.depth, hw)
  for (let k = 0; k < runner.threads; k++) heap.fill(0, (at[`grads${k}`] as number) / 4, (at[`grads${k}`] as number) / 4 + accumulators / 4)
  runner.run("backward", g.count)
  const splatGrads = new Float64Array(g.count * splatGradStride)
  for (let k = 0; k < runner.threads; k++) {
    const from = heap.subarray((at[`reduced${k}`] as number) / 4, (at[`reduced${k}`] as number) / 4 + splatGrads.length)
    for (let q = 0; q < splatGrads.length; q++) splatGrads[q] = (splatGrads[q] as number) + (from[q] as number)
  }
  const inputGrads = emptyInputGrads(g)
  projectionBackward(g, cam, forward.projected, splatGrads, inputGrads)
  return inputGrads
}
