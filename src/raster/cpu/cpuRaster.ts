/**
 * The CPU rasteriser on typed arrays, single-threaded: project, bin into
 * tiles, composite each tile (forward); replay each tile back to front and
 * chain through the projection (backward). Scratch buffers are allocated once
 * per call, never per pixel or per Gaussian.
 */
import type { CameraSetup } from "../camera.ts"
import type { Appearance } from "../composite.ts"
import { compositeTile, gatherTile, maxTileLength, pixelStride, tileScratch } from "../composite.ts"
import type { PixelGrads } from "../compositeBackward.ts"
import { compositeTileBackward } from "../compositeBackward.ts"
import type { GaussianArrays, InputGrads } from "../gaussians.ts"
import { projectedStride, splatGradStride } from "../gaussians.ts"
import { projectGaussians } from "../projection.ts"
import { projectionBackward } from "../projectionBackward.ts"
import type { TileBins } from "../tiles.ts"
import { binGaussians } from "../tiles.ts"
import { f64, i32 } from "../typed.ts"

export interface CpuForward {
  /** (H, W, pixelStride): see composite.ts PX. */
  readonly pixels: Float32Array
  /** (N, projectedStride) */
  readonly projected: Float32Array
  readonly bins: TileBins
  /** Gaussian-pixel pairs evaluated. */
  readonly pairs: number
}


/** Composite the tiles first <= t < end into pixels (every pixel of those tiles is written); returns the pairs evaluated. */
export const compositeTiles = (g: Appearance, cam: CameraSetup, projected: Float32Array, bins: TileBins, pixels: Float32Array, first: number, end: number): number => {
  const scratch = tileScratch(maxTileLength(bins))
  let pairs = 0
  for (let t = first; t < end; t++) {
    const length = gatherTile(g, projected, bins, t, scratch.local)
    pairs += compositeTile(cam, scratch, length, t, pixels)
  }
  return pairs
}

export const projectAndBin = (g: GaussianArrays, cam: CameraSetup): { readonly projected: Float32Array; readonly bins: TileBins } => {
  const projected = new Float32Array(g.count * projectedStride)
  projectGaussians(g, cam, projected)
  return { projected, bins: binGaussians(projected, g.count, cam) }
}

export const rasterizeForwardCpu = (g: GaussianArrays, cam: CameraSetup): CpuForward => {
  const { projected, bins } = projectAndBin(g, cam)
  const pixels = new Float32Array(cam.width * cam.height * pixelStride)
  const pairs = compositeTiles(g, cam, projected, bins, pixels, 0, cam.tilesX * cam.tilesY)
  return { pixels, projected, bins, pairs }
}

/** Splat gradients (N, splatGradStride) of tiles first <= t < end, summed over pixels. */
export const compositeTilesBackward = (
  g: Appearance,
  cam: CameraSetup,
  forward: Omit<CpuForward, "pairs">,
  grads: PixelGrads,
  splatGrads: Float64Array,
  first: number,
  end: number
): void => {
  const longest = maxTileLength(forward.bins)
  const scratch = tileScratch(longest)
  const localGrads = new Float64Array(Math.max(1, longest) * splatGradStride)
  for (let t = first; t < end; t++) {
    const length = gatherTile(g, forward.projected, forward.bins, t, scratch.local)
    if (length === 0) continue
    compositeTileBackward(cam, scratch, length, t, forward.pixels, grads, localGrads)
    const start = i32(forward.bins.tileOffsets, t)
    for (let k = 0; k < length; k++) {
      const i = i32(forward.bins.tileList, start + k)
      for (let c = 0; c < splatGradStride; c++) splatGrads[i * splatGradStride + c] = f64(splatGrads, i * splatGradStride + c) + f64(localGrads, k * splatGradStride + c)
    }
  }
}

export const emptyInputGrads = (g: GaussianArrays): InputGrads => ({
  means: new Float32Array(g.count * 3),
  scales: new Float32Array(g.count * g.scaleDims),
  rotations: new Float32Array(g.rotations.length),
  opacities: new Float32Array(g.opacities.length),
  colours: new Float32Array(g.count * 3)
})

export const rasterizeBackwardCpu = (g: GaussianArrays, cam: CameraSetup, forward: Omit<CpuForward, "pairs">, grads: PixelGrads): InputGrads => {
  const splatGrads = new Float64Array(g.count * splatGradStride)
  compositeTilesBackward(g, cam, forward, grads, splatGrads, 0, cam.tilesX * cam.tilesY)
  const inputGrads = emptyInputGrads(g)
  projectionBackward(g, cam, forward.projected, splatGrads, inputGrads)
  return inputGrads
}
