/**
 * Binning of the depth-sorted Gaussians into 16x16 tiles on the GPU, as the
 * CPU kernel's tiles.ts binGaussians (same tile rectangles, lists in (depth,
 * index) order): count the tiles of each Gaussian (tileCount.ts), prefix-sum
 * the counts (scan.ts), emit one (tile, depth rank) key per pair at its Gaussian's
 * offset (emitPairs.ts), sort the keys (bitonic.ts), and cut the sorted keys
 * into per-tile ranges (tileBins.ts).
 * The number of pairs is data-dependent, but nothing is read back to the host:
 * tfjs kernels are synchronous and tfjs-webgpu has no synchronous read in Node
 * (readSync needs OffscreenCanvas). So the pair buffer gets a capacity fixed
 * from N and the tile count (pairCapacity); a scene with more pairs sets the
 * overflow flag of the bins and is composited, exactly but slowly, from the
 * whole depth-sorted list. Totals must stay below 2^31 pairs (int32 sums).
 */
import type * as tf from "@tensorflow/tfjs"
import type { CameraSetup } from "../camera.ts"
import { bitonicSort, nextPowerOfTwo } from "./bitonic.ts"
import type { WebGpuBackendLike } from "./common.ts"
import { EmitPairsProgram } from "./emitPairs.ts"
import { inclusiveScan } from "./scan.ts"
import { TileBinsProgram } from "./tileBins.ts"
import { TileCountProgram } from "./tileCount.ts"

/**
 * Pair slots per Gaussian. Body-sized scenes at 512x512 (bench/raster.ts)
 * touch 3.8 tiles per Gaussian; the sort's cost grows with the capacity.
 */
export const pairsPerGaussian = 8

/** Slots of the pair buffer: a power of two, never more than N x tiles (so small scenes cannot overflow). */
export const pairCapacity = (count: number, tiles: number): number => nextPowerOfTwo(Math.min(count * tiles, pairsPerGaussian * count + tiles))

const ints = (...values: number[]) => values.map((v) => ({ type: "int32" as const, data: [v] }))

/** The bins buffer (tileBins.ts) of `count` Gaussians given their splats and depth order; the caller disposes it. */
export const binTiles = (backend: WebGpuBackendLike, splats: tf.TensorInfo, order: tf.TensorInfo, count: number, cam: CameraSetup): tf.TensorInfo => {
  const length = Math.max(1, count)
  const tiles = cam.tilesX * cam.tilesY
  const capacity = pairCapacity(count, tiles)
  const counts = backend.runWebGPUProgram(new TileCountProgram(length), [splats, order], "int32", ints(length))
  const sums = inclusiveScan(backend, counts, length)
  const keys = backend.runWebGPUProgram(new EmitPairsProgram(capacity), [splats, order, sums], "int32", ints(length, capacity, cam.tilesX))
  const pairs = bitonicSort(backend, keys, capacity)
  const listLength = Math.max(capacity, count)
  const bins = backend.runWebGPUProgram(new TileBinsProgram(tiles, listLength), [order, sums, pairs], "int32", ints(length, count, capacity, tiles, listLength))
  backend.disposeData(sums.dataId)
  backend.disposeData(pairs.dataId)
  return bins
}
