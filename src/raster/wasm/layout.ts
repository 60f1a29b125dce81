/**
 * Byte layouts shared by the WebAssembly kernels and their JavaScript driver:
 * the per-thread configuration block, the per-Gaussian splat record and the
 * per-Gaussian vector gradient accumulators.
 */

/** Configuration block of one thread (i32 addresses and sizes, f32 background), `configBytes` long. */
export const C = {
  splats: 0,
  tileOffsets: 4,
  tileList: 8,
  pixels: 12,
  width: 16,
  height: 20,
  tilesX: 24,
  backgroundR: 28,
  backgroundG: 32,
  backgroundB: 36,
  /** This thread's 16 block lists of the current tile (i32 Gaussian indices), subStride bytes apart. */
  sub: 40,
  subStride: 72,
  /** This thread's (N, 10) vector gradient accumulators (see V), then reduced into `reduced`. */
  grads: 44,
  dImage: 48,
  dAlpha: 52,
  dDepth: 56,
  first: 60,
  end: 64,
  /** This thread's (N, 10) float32 splat gradients, lanes of `grads` summed. */
  reduced: 68
} as const
export const configBytes = 256
/** Byte offset in the config block of the 16 block-list lengths of the current tile. */
export const blockCounts = 128

/** Splat record of Gaussian i at splats + i * splatBytes: projected values (gaussians.ts P), then appearance. */
export const S = { mx: 0, my: 4, conicA: 8, conicB: 12, conicC: 16, depth: 20, radiusX: 24, radiusY: 28, opacity: 32, cutoff: 36, colour: 40 } as const
export const splatBytes = 64
export const splatLog2 = 6

/**
 * Gradient accumulator of Gaussian i at grads + i * gradBytes: one f32x4 (a partial
 * sum per lane) per splat gradient, in the order of gaussians.ts G.
 */
export const gradBytes = 160

/** Floats per pixel of the forward output (composite.ts PX: colour 3, alpha, depth, final T, count). */
export const pixelBytes = 28
