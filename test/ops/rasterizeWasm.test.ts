/**
 * The WebAssembly SIMD rasteriser (src/ops/rasterize/wasm) against the
 * JavaScript kernel (cpuRaster.ts, itself checked against the Float64
 * reference) in the hard mode, forward and backward, on random scenes from a
 * few Gaussians to a few hundred (which exercise the early stop); and its
 * polynomial exp against Math.exp.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as fc from "fast-check"
import { cameraSetup } from "../../src/raster/camera.ts"
import { pixelStride, PX } from "../../src/raster/composite.ts"
import { rasterizeBackwardCpu, rasterizeForwardCpu } from "../../src/raster/cpu/cpuRaster.ts"
import { gaussianArrays } from "../../src/raster/gaussians.ts"
import { forUp, get, i32c, i32T, named, v, v128T, wasmFunction, wasmModule } from "../../src/wasm/emit.ts"
import { expNegInto, splat4 } from "../../src/wasm/simdMath.ts"
import { rasterizeBackwardSimd, rasterizeForwardSimd, singleThreadRunner } from "../../src/raster/wasm/simdRaster.ts"
import { seededUniform } from "../../src/testing/f64.ts"
import { tolerances, within } from "../../src/testing/tolerances.ts"
import type { RasterCase } from "./rasterizeScenes.ts"
import { arbCamera, arbScene } from "./rasterizeScenes.ts"

const row = tolerances.rasterizeSimd.wasm
const runner = singleThreadRunner()

const arrays = (c: RasterCase) => {
  const f = (name: keyof RasterCase["inputs"]) => Float32Array.from(c.inputs[name]?.data ?? [])
  return gaussianArrays(f("means"), f("scales"), f("rotations"), f("opacities"), f("colours"))
}

/** Undefined when at most row.outliers values differ by more than the tolerance, and none by more than outlierAbs * scale. */
const compare = (label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, close: (a: number, e: number) => boolean, scale: number): string | undefined => {
  if (actual.length !== expected.length) return `${label}: ${actual.length} values, expected ${expected.length}`
  let outliers = 0
  for (let i = 0; i < actual.length; i++) {
    const [a, e] = [actual[i] as number, expected[i] as number]
    if (close(a, e)) continue
    if (!(Math.abs(a - e) <= row.outlierAbs * scale)) return `${label}[${i}]: SIMD ${a}, JavaScript ${e}`
    outliers++
  }
  return outliers > row.outliers ? `${label}: ${outliers} outliers (at most ${row.outliers})` : undefined
}

/** Both kernels on one scene: the pixel outputs (the list counts are bookkeeping), then the gradients of every input given the same output gradients. */
const compareScene = (c: RasterCase, seed: number): string | undefined => {
  const g = arrays(c)
  const cam = cameraSetup(c.attrs)
  const js = rasterizeForwardCpu(g, cam)
  const simd = rasterizeForwardSimd(runner, g, cam)
  const outputs = (pixels: Float32Array) => pixels.filter((_, i) => i % pixelStride !== PX.count)
  const pixelProblem = compare("pixels", outputs(simd.pixels), outputs(js.pixels), (a, e) => within(a, e, row.forward), Math.max(1, ...Array.from(js.pixels, Math.abs)))
  if (pixelProblem) return pixelProblem
  const next = seededUniform(seed)
  const random = (length: number) => Float32Array.from({ length }, next)
  const hw = cam.width * cam.height
  const grads = { image: random(hw * 3), alpha: random(hw), depth: cam.withDepth ? random(hw) : new Float32Array(0) }
  const expected = rasterizeBackwardCpu(g, cam, js, grads)
  const actual = rasterizeBackwardSimd(runner, g, cam, simd, grads)
  for (const name of ["means", "scales", "rotations", "opacities", "colours"] as const) {
    const scale = Math.max(1e-6, ...Array.from(expected[name], Math.abs))
    const problem = compare(`v${name}`, actual[name], expected[name], (a, e) => within(a, e, row.vjp, scale), scale)
    if (problem) return problem
  }
  return undefined
}

/** Up to a few hundred Gaussians of 1 to 10 pixels spread over x, y in [-1, 1]: many pixels reach the early stop. */
const arbCrowd = fc
  .record({ n: fc.integer({ min: 50, max: 300 }), seed: fc.integer(), attrs: arbCamera(48, false) })
  .map(({ n, seed, attrs }): RasterCase => {
    const next = seededUniform(seed)
    const uniform = (count: number, lo: number, hi: number) => ({ shape: [count], data: Float64Array.from({ length: count }, () => Math.fround(lo + ((next() + 1) / 2) * (hi - lo))) })
    const shaped = (x: { data: Float64Array }, shape: number[]) => ({ shape, data: x.data })
    return {
      inputs: {
        means: shaped(uniform(n * 3, -0.8, 0.8), [n, 3]),
        scales: shaped(uniform(n * 3, 0.02, 0.15), [n, 3]),
        rotations: shaped(uniform(n * 4, -1, 1), [n, 4]),
        opacities: uniform(n, 0.3, 1),
        colours: shaped(uniform(n * 3, 0, 1), [n, 3])
      },
      attrs
    }
  })

describe("rasterize, WebAssembly SIMD kernel", () => {
  it("matches the JavaScript kernel on small random scenes (forward, backward)", () => {
    fc.assert(
      fc.property(arbScene({ maxGaussians: 12, maxSize: 40, smooth: false }), fc.integer(), (c, seed) => assert.equal(compareScene(c, seed), undefined)),
      { numRuns: 60 }
    )
  })

  it("matches the JavaScript kernel on crowded scenes with early stops (forward, backward)", () => {
    fc.assert(
      fc.property(arbCrowd, fc.integer(), (c, seed) => assert.equal(compareScene(c, seed), undefined)),
      { numRuns: 20 }
    )
  })

  it("its exp(-p) is within 3 float32 ulps of Math.exp on [0, 6]", () => {
    const count = 60_000
    const fn = wasmFunction("expNeg", [i32T], [], ([n], local) => {
      const { k } = named(local, i32T, ["k"])
      const { out, x, scaled, m } = named(local, v128T, ["out", "x", "scaled", "m"])
      return forUp(k, i32c(0), get(n), 16, expNegInto(splat4, out, v.load(get(k)), x, scaled, m), v.store(get(k), get(out)))
    })
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true })
    const bytes = wasmModule([fn], { min: 4, max: 4 }) as Uint8Array<ArrayBuffer>
    const expNeg = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.expNeg as (n: number) => void
    const values = new Float32Array(memory.buffer, 0, count)
    for (let i = 0; i < count; i++) values[i] = (6 * i) / count
    const inputs = values.slice()
    expNeg(count * 4)
    let worst = 0
    for (let i = 0; i < count; i++) {
      const exact = Math.exp(-(inputs[i] as number))
      const ulp = 2 ** (Math.floor(Math.log2(exact)) - 23)
      worst = Math.max(worst, Math.abs((values[i] as number) - exact) / ulp)
    }
    assert.ok(worst <= 3, `worst error ${worst} ulps`)
  })
})
