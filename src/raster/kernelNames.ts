/**
 * The tfjs kernels of the rasteriser, registered per backend, and the names of what their forward
 * keeps for their backward.
 * Planar kernels (cpu: JavaScript; wasm: WebAssembly SIMD): the forward takes {means, scales,
 * colours, rotations?, opacities?} and outputs [image (H, W, 3), alpha (H, W), depth (H, W) or [0],
 * ...planarSaved]; the backward takes the same inputs, the saved tensors by name and {dImage, dAlpha,
 * dDepth}, and outputs [vMeans, vScales, vRotations, vOpacities, vColours] in the inputs' shapes
 * (empty for absent inputs), so that the op slices nothing (tfjs-wasm slices strided tensors in
 * JavaScript, tens of ms at 512x512).
 * Packed kernels (webgpu, WGSL): the forward outputs [pixels (H, W, 7) packed as composite.ts PX,
 * ...packedSaved minus pixels]; the backward outputs one (N, 14) tensor packed as `gradColumns`.
 * Attributes: RasterizeAttrs, plus `tiles` (the SIMD runner) for the wasm planar kernels.
 */
export const forwardPlanarKernelName = "GavatarRasterizeForwardPlanar"
export const backwardPlanarKernelName = "GavatarRasterizeBackwardPlanar"
export const forwardKernelName = "GavatarRasterizeForward"
export const backwardKernelName = "GavatarRasterizeBackward"

/** What the planar forward keeps, in its output order after image, alpha and depth. */
export const planarSaved = ["pixels", "projected", "tileOffsets", "tileList"] as const
/** What the packed forward outputs, in order: the pixels (the op's outputs are sliced from them) and what its backward needs. */
export const packedSaved = ["pixels", "splats", "bins"] as const

export type PlanarSavedName = (typeof planarSaved)[number]
export type PackedSavedName = (typeof packedSaved)[number]

/** Columns of the packed (N, 14) input gradients; an isotropic scale's gradient is in scales[0]. */
export const gradColumns = { means: 0, scales: 3, rotations: 6, opacities: 10, colours: 11, width: 14 } as const
