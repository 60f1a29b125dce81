/**
 * The tfjs kernels of the rasteriser, registered per backend.
 * Forward: inputs {means, scales, rotations, opacities, colours}, attrs RasterizeAttrs;
 * outputs [pixels (H, W, 7) packed as composite.ts PX, ...saved], where the saved
 * tensors are backend-specific and only read by the same backend's backward.
 * Backward: inputs {the five inputs, pixels, dImage, dAlpha, dDepth, saved0, saved1, ...};
 * one output (N, 14) packed as `gradColumns`.
 */
export const forwardKernelName = "GavatarRasterizeForward"
export const backwardKernelName = "GavatarRasterizeBackward"

/** Columns of the packed (N, 14) input gradients; an isotropic scale's gradient is in scales[0]. */
export const gradColumns = { means: 0, scales: 3, rotations: 6, opacities: 10, colours: 11, width: 14 } as const

export const savedName = (k: number): string => `saved${k}`

/**
 * Planar variants, registered by the cpu and wasm backends (rasterize.ts uses them where registered):
 * the forward outputs [image (H, W, 3), alpha (H, W), depth (H, W) or [0], pixels, ...saved] and the
 * backward five outputs [vMeans, vScales, vRotations, vOpacities, vColours] in the inputs' shapes, so
 * that the op slices nothing (tfjs-wasm slices strided tensors in JavaScript, tens of ms at 512x512).
 */
export const forwardPlanarKernelName = "GavatarRasterizeForwardPlanar"
export const backwardPlanarKernelName = "GavatarRasterizeBackwardPlanar"
