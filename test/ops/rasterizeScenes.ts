/**
 * Small random scenes for the rasteriser's tests: a camera 4 units from the
 * origin looking at a handful of Gaussians that project into a small image
 * spanning a few 16x16 tiles.
 */
import * as fc from "fast-check"
import type { F64 } from "../../src/ops/contract.ts"
import type { RasterizeAttrs } from "../../src/ops/rasterize/spec.ts"
import { anisotropic, isotropic, learnedOpacity, opaque } from "../../src/ops/rasterize/spec.ts"
import type { OpCase } from "../../src/testing/harness.ts"
import { arbF64 } from "../../src/testing/harness.ts"
import type { rasterizeSpec } from "../../src/ops/rasterize/spec.ts"
import { kernelForward } from "../../src/testing/opChecks.ts"
import { tolerances, within } from "../../src/testing/tolerances.ts"
import type { TestedOp } from "../../src/testing/references.ts"
import { references } from "../../src/testing/references.ts"

export type RasterCase = OpCase<typeof rasterizeSpec>

/** Row-major world-to-camera: rotation by `yaw` about y, then a shift to z = distance. */
export const yawCamera = (yaw: number, distance: number, shiftX = 0, shiftY = 0): number[] => {
  const c = Math.cos(yaw)
  const s = Math.sin(yaw)
  return [c, 0, s, shiftX, 0, 1, 0, shiftY, -s, 0, c, distance, 0, 0, 0, 1]
}

export interface SceneOptions {
  /**
   * No zero-size tensor anywhere: at least one Gaussian, depth requested. tfjs-webgpu cannot reduce a zero-size tensor (it asks
   * for a 0-byte buffer), which the gradient checks would do.
   */
  readonly noEmptyTensors?: boolean
  readonly maxGaussians: number
  readonly maxSize: number
  readonly smooth: boolean
  /**
   * Wide angle: focal length 0.5 to 0.8 times the width and Gaussians spread
   * over x, y in [-2.2, 2.2], so x/z reaches about 0.55 and the off-diagonal
   * terms of the projection Jacobian matter (still inside its clamp).
   */
  readonly wide?: boolean
  /** true: isotropic Gaussians only; false: anisotropic only; absent: either, drawn. */
  readonly isotropic?: boolean
}

/** A random camera, for isotropic opaque Gaussians (arbScene draws the modes). */
export const arbCamera = (maxSize: number, smooth: boolean, wide = false): fc.Arbitrary<RasterizeAttrs> =>
  fc
    .record({
      width: fc.integer({ min: 6, max: maxSize }),
      height: fc.integer({ min: 6, max: maxSize }),
      focal: wide ? fc.double({ min: 0.5, max: 0.8, noNaN: true }) : fc.double({ min: 0.9, max: 1.4, noNaN: true }),
      aspect: fc.double({ min: 0.85, max: 1.15, noNaN: true }),
      principal: fc.tuple(fc.double({ min: 0.4, max: 0.6, noNaN: true }), fc.double({ min: 0.4, max: 0.6, noNaN: true })),
      yaw: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
      background: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
      withDepth: fc.boolean()
    })
    .map(({ width, height, focal, aspect, principal, yaw, background, withDepth }) => ({
      gaussians: isotropic,
      opacity: opaque,
      fx: focal * width,
      fy: focal * aspect * width,
      cx: principal[0] * width,
      cy: principal[1] * height,
      worldToCamera: yawCamera(yaw, 4),
      width,
      height,
      near: 0.01,
      far: 100,
      background,
      withDepth,
      smooth
    }))

const arbQuaternions = (n: number): fc.Arbitrary<F64> =>
  arbF64([n, 4]).map((q) => {
    const data = q.data.slice()
    for (let i = 0; i < n; i++) if (Math.hypot(...data.subarray(i * 4, i * 4 + 4)) < 0.3) data[i * 4] = 1
    return { shape: q.shape, data }
  })

/** Camera depths of the Gaussians differ pairwise by more than `gap` (no order swap under finite differences). */
const depthsSeparated = (c: RasterCase, gap: number): boolean => {
  const m = c.attrs.worldToCamera
  const n = c.inputs.means.shape[0] as number
  const depth = (i: number): number => [0, 1, 2].reduce((s, k) => s + (m[8 + k] as number) * (c.inputs.means.data[i * 3 + k] as number), m[11] as number)
  const depths = Array.from({ length: n }, (_, i) => depth(i)).sort((a, b) => a - b)
  return depths.every((d, i) => i === 0 || d - (depths[i - 1] as number) > gap)
}

/** Gaussians within x, y in [-1, 1] z in [-0.5, 0.5] (in view), sizes of about 1 to 10 pixels. */
export const arbScene = (options: SceneOptions): fc.Arbitrary<RasterCase> =>
  fc.tuple(fc.integer({ min: options.noEmptyTensors ? 1 : 0, max: options.maxGaussians }), fc.boolean(), fc.boolean()).chain(([n, isotropicDrawn, learned]) => {
    const rotated = !(options.isotropic ?? isotropicDrawn)
    const modes = { gaussians: rotated ? anisotropic : isotropic, opacity: learned ? learnedOpacity : opaque }
    return fc.record({
      inputs: fc.record({
        means: arbF64([n, 3], { min: -0.9, max: 0.9 }).map((m) => ({ shape: m.shape, data: m.data.map((v, i) => (i % 3 === 2 ? v / 2 : options.wide ? 2.4 * v : v)) })),
        scales: arbF64([n, rotated ? 3 : 1], { min: 0.02, max: 0.25 }),
        colours: arbF64([n, 3], { min: 0, max: 1 }),
        ...(rotated ? { rotations: arbQuaternions(n) } : {}),
        ...(learned ? { opacities: arbF64([n], { min: 0.05, max: 1 }) } : {})
      }),
      attrs: arbCamera(options.maxSize, options.smooth, options.wide).map((a) => ({ ...a, ...modes, ...(options.noEmptyTensors ? { withDepth: true } : {}) }))
    })
  }).filter((c) => !options.smooth || depthsSeparated(c, 1e-3))

type Row = (typeof tolerances.rasterize)[keyof typeof tolerances.rasterize]

/** Undefined when every output agrees, up to the row's count of outlier pixels. */
/** Hard-mode forward of the active backend against the reference. */
export const compareHard = async (c: RasterCase, row: Row, op: TestedOp<typeof rasterizeSpec>): Promise<string | undefined> => {
  const actual = await kernelForward(op, c)
  const expected = references.rasterize.forward(c.inputs, c.attrs)
  let outliers = 0
  for (const name of ["image", "alpha", "depth"] as const) {
    const a = actual[name] as Float64Array
    const e = expected[name].data
    if (a.length !== e.length) return `${name}: ${a.length} values, reference ${e.length}`
    for (let i = 0; i < a.length; i++) {
      if (within(a[i] as number, e[i] as number, row.forward)) continue
      const scale = name === "depth" ? Math.max(1, Math.abs(e[i] as number)) : 1
      if (Math.abs((a[i] as number) - (e[i] as number)) > row.outlierAbs * scale) return `${name}[${i}]: kernel ${a[i]}, reference ${e[i]}`
      outliers++
    }
  }
  return outliers > row.outliers ? `${outliers} outlier values (at most ${row.outliers})` : undefined
}

