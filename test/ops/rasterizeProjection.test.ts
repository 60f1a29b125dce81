/**
 * The CPU projection backward alone (projectionBackward.ts): for random
 * Gaussians seen at wide angles and random gradients on the splat (centre,
 * conic, depth), the input gradients match central differences of the Float64
 * reference projection, coordinate by coordinate, tightly. This catches the
 * small Jacobian terms that the end-to-end checks can hide.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as fc from "fast-check"
import { cameraSetup } from "../../src/raster/camera.ts"
import { emptyInputGrads } from "../../src/raster/cpu/cpuRaster.ts"
import { G, gaussianArrays, projectedStride, splatGradStride } from "../../src/raster/gaussians.ts"
import { projectGaussians } from "../../src/raster/projection.ts"
import { projectionBackward } from "../../src/raster/projectionBackward.ts"
import type { RasterInputs } from "../../src/ops/rasterize/rasterize.ref.ts"
import { projectOne } from "../../src/ops/rasterize/rasterize.ref.ts"
import { roundCase } from "../../src/testing/opChecks.ts"
import type { F64 } from "../../src/ops/contract.ts"
import { arbScene } from "./rasterizeScenes.ts"

type Name = "means" | "scales" | "rotations"

/** <weights, splat> of Gaussian 0 in the reference: centre, conic and depth. */
const splatScalar = (inputs: RasterInputs, attrs: Parameters<typeof projectOne>[2], weights: ReadonlyArray<number>): number => {
  const s = projectOne(inputs, 0, attrs)
  if (!s) return 0
  const values = [s.mx, s.my, s.conic[0], s.conic[1], s.conic[2], s.z]
  return values.reduce((sum, v, k) => sum + v * (weights[k] as number), 0)
}

const scenes = arbScene({ maxGaussians: 1, maxSize: 40, smooth: false, wide: true, noEmptyTensors: true, isotropic: false })
const weights = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 })

describe("rasterize projection backward (CPU)", () => {
  it("matches central differences of the Float64 reference projection per coordinate", () => {
    fc.assert(
      fc.property(scenes, weights, (raw, w) => {
        const c = roundCase(raw)
        const f32 = (name: keyof RasterInputs) => Float32Array.from(c.inputs[name]?.data ?? [])
        const g = gaussianArrays(f32("means"), f32("scales"), f32("rotations"), f32("opacities"), f32("colours"))
        const cam = cameraSetup(c.attrs)
        const projected = new Float32Array(projectedStride)
        projectGaussians(g, cam, projected)
        if (projected[6] === 0) return
        const splatGrads = new Float64Array(splatGradStride)
        const order = [G.mx, G.my, G.conicA, G.conicB, G.conicC, G.depth]
        order.forEach((slot, k) => (splatGrads[slot] = w[k] as number))
        const grads = emptyInputGrads(g)
        projectionBackward(g, cam, projected, splatGrads, grads)
        for (const name of ["means", "scales", "rotations"] as const satisfies ReadonlyArray<Name>) {
          const x = c.inputs[name] as F64
          for (let i = 0; i < x.data.length; i++) {
            const step = 1e-6 * Math.max(1, Math.abs(x.data[i] as number))
            const at = (sign: number) => {
              const data = x.data.slice()
              data[i] = (data[i] as number) + sign * step
              return splatScalar({ ...c.inputs, [name]: { shape: x.shape, data } }, c.attrs, w)
            }
            const fd = (at(1) - at(-1)) / (2 * step)
            const kernel = grads[name][i] as number
            assert.ok(Math.abs(kernel - fd) <= 1e-4 + 2e-3 * Math.abs(fd), `v${name}[${i}]: kernel ${kernel}, central difference ${fd}`)
          }
        }
      }),
      { numRuns: 200 }
    )
  })
})
