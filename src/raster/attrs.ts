/**
 * What the Gaussians carry: one scale each and no rotation (the original's isotropic Gaussians:
 * scales [N, 1]), or three scales and a rotation (scales [N, 3], rotations [N, 4]).
 */
export type GaussianShape = { readonly _tag: "Isotropic" } | { readonly _tag: "Anisotropic" }

/** Every Gaussian fully opaque (opacity 1, the original's), or an opacity per Gaussian (opacities [N]). */
export type OpacityMode = { readonly _tag: "Opaque" } | { readonly _tag: "Learned" }

export const isotropic: GaussianShape = { _tag: "Isotropic" }
export const anisotropic: GaussianShape = { _tag: "Anisotropic" }
export const opaque: OpacityMode = { _tag: "Opaque" }
export const learnedOpacity: OpacityMode = { _tag: "Learned" }

/**
 * The rasteriser's attributes: the kind of Gaussians and opacities it takes, and the camera:
 * pinhole intrinsics in pixels, a world-to-camera rigid transform (16 numbers, row-major, camera
 * looks along +z, y down), image size, clip planes and the background colour.
 */
export interface RasterizeAttrs {
  readonly gaussians: GaussianShape
  readonly opacity: OpacityMode
  readonly fx: number
  readonly fy: number
  readonly cx: number
  readonly cy: number
  /** 4x4 world-to-camera matrix, row-major (last row 0 0 0 1). */
  readonly worldToCamera: ReadonlyArray<number>
  readonly width: number
  readonly height: number
  /** Gaussians are kept only for near < z < far (camera z). */
  readonly near: number
  readonly far: number
  readonly background: readonly [number, number, number]
  /** Compute the depth output (accumulated camera z, sum of w_k z_k); when false it has shape [0]. */
  readonly withDepth: boolean
  /**
   * Test-only: replace the hard cut-offs (alpha cap 0.99, alpha < 1/255 skip,
   * early stop at T <= 1e-4) by smooth functions so that central finite
   * differences are meaningful. Never used for training.
   */
  readonly smooth: boolean
}
