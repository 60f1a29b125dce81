/**
 * A cloud of 3D Gaussians as splat files and viewers hold it: world (or canonical) positions,
 * per-axis scales (standard deviations, metres), unit quaternions (w, x, y, z), opacities in [0, 1]
 * and RGB colours in [0, 1]. The avatar's Gaussians are isotropic (three equal scales, identity
 * rotations) with opacity 1; the layout holds any Gaussians.
 */
export interface GaussianCloud {
  readonly count: number
  /** [N * 3] */
  readonly means: Float32Array
  /** [N * 3] */
  readonly scales: Float32Array
  /** [N * 4] w, x, y, z */
  readonly rotations: Float32Array
  /** [N] */
  readonly opacities: Float32Array
  /** [N * 3] */
  readonly colours: Float32Array
}

/** A cloud from the rasteriser's inputs: scales [N] or [N * 3], rotations [N * 4] or empty (identity), opacities [N] or empty (all 1). */
export const gaussianCloud = (means: Float32Array, scales: Float32Array, rotations: Float32Array, opacities: Float32Array, colours: Float32Array): GaussianCloud => {
  const count = means.length / 3
  const isotropic = scales.length === count
  return {
    count,
    means,
    scales: isotropic ? Float32Array.from({ length: 3 * count }, (_, k) => scales[Math.floor(k / 3)] as number) : scales,
    rotations: rotations.length === 4 * count ? rotations : Float32Array.from({ length: 4 * count }, (_, k) => (k % 4 === 0 ? 1 : 0)),
    opacities: opacities.length === count ? opacities : new Float32Array(count).fill(1),
    colours
  }
}
