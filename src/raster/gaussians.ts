/** The rasteriser's inputs as flat float32 arrays, and the per-Gaussian layout of projected splats. */
import { RasterizeInputError } from "./errors.ts"

export interface GaussianArrays {
  readonly count: number
  /** (N, 3) world positions. */
  readonly means: Float32Array
  /** (N, scaleDims) */
  readonly scales: Float32Array
  readonly scaleDims: 1 | 3
  /** (N, 4) quaternions (w, x, y, z), or empty for identity. */
  readonly rotations: Float32Array
  /** (N), or empty for all 1. */
  readonly opacities: Float32Array
  /** (N, 3) */
  readonly colours: Float32Array
}

/** Projected splat layout, `projectedStride` floats per Gaussian; radiusX = 0 marks a culled Gaussian. */
export const projectedStride = 8
export const P = { mx: 0, my: 1, conicA: 2, conicB: 3, conicC: 4, depth: 5, radiusX: 6, radiusY: 7 } as const

const checkFinite = (name: string, values: Float32Array): void => {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i] as number)) throw new RasterizeInputError({ input: name, reason: `element ${i} is ${values[i]}` })
}

const checkLength = (name: string, values: Float32Array, expected: number): void => {
  if (values.length !== expected) throw new RasterizeInputError({ input: name, reason: `has ${values.length} values, expected ${expected}` })
}

/** Check shapes and reject NaN or infinite values with a RasterizeInputError. */
export const gaussianArrays = (means: Float32Array, scales: Float32Array, rotations: Float32Array, opacities: Float32Array, colours: Float32Array): GaussianArrays => {
  const count = means.length / 3
  const scaleDims = count > 0 && scales.length === count ? 1 : 3
  checkLength("means", means, count * 3)
  checkLength("scales", scales, count * scaleDims)
  if (rotations.length !== 0) checkLength("rotations", rotations, count * 4)
  if (opacities.length !== 0) checkLength("opacities", opacities, count)
  checkLength("colours", colours, count * 3)
  const named = { means, scales, rotations, opacities, colours }
  for (const [name, values] of Object.entries(named)) checkFinite(name, values)
  return { count, means, scales, scaleDims, rotations, opacities, colours }
}

/** Per-Gaussian gradients gathered by the compositing backward, `splatGradStride` floats per Gaussian. */
export const splatGradStride = 10
export const G = { mx: 0, my: 1, conicA: 2, conicB: 3, conicC: 4, depth: 5, opacity: 6, colour: 7 } as const

/** Gradients with respect to the inputs; empty arrays for absent rotations or opacities. */
export interface InputGrads {
  readonly means: Float32Array
  readonly scales: Float32Array
  readonly rotations: Float32Array
  readonly opacities: Float32Array
  readonly colours: Float32Array
}
