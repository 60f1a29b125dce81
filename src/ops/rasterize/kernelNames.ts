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
