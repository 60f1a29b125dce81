/**
 * Per-input gradient checks of rasterize in the smooth mode: the VJP of each
 * input alone (means, scales, rotations, opacities, colours) against central
 * differences of the Float64 reference along a random direction of that input,
 * scaled by that input's own gradient norm (a check over all inputs at once
 * lets the large mean gradients hide errors in the small rotation ones).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as fc from "fast-check"
import type { F64 } from "../../src/ops/contract.ts"
import { rasterize } from "../../src/ops/rasterize/rasterize.ts"
import { testBackends, useBackend } from "../../src/testing/backends.ts"
import { dot, norm2, seededUniform } from "../../src/testing/f64.ts"
import { kernelVjp, makeCotangents, roundCase } from "../../src/testing/opChecks.ts"
import { tolerances, within } from "../../src/testing/tolerances.ts"
import type { RasterCase } from "./rasterizeScenes.ts"
import { arbScene } from "./rasterizeScenes.ts"
import type { TestedOp } from "../../src/testing/references.ts"
import { references, testedOp } from "../../src/testing/references.ts"
import type { rasterizeSpec } from "../../src/ops/rasterize/spec.ts"

type InputName = keyof RasterCase["inputs"]
const inputNames: ReadonlyArray<InputName> = ["means", "scales", "rotations", "opacities", "colours"]

const referenceScalar = (c: RasterCase, cot: Record<string, Float64Array>): number => {
  const out = references.rasterize.forward(c.inputs, c.attrs)
  return (["image", "alpha", "depth"] as const).reduce((s, n) => s + dot(out[n].data, cot[n] as Float64Array), 0)
}

const shifted = (c: RasterCase, name: InputName, direction: Float64Array, step: number): RasterCase => {
  const x = c.inputs[name] as F64
  const moved: F64 = { shape: x.shape, data: x.data.map((v, i) => v + step * (direction[i] as number)) }
  return { ...c, inputs: { ...c.inputs, [name]: moved } }
}

/** Undefined when the kernel's gradient of every input matches central differences along a random direction. */
const checkEachInput = async (op: TestedOp<typeof rasterizeSpec>, c: RasterCase, seed: number, backend: keyof typeof tolerances.rasterize): Promise<string | undefined> => {
  const tol = tolerances.rasterize[backend]
  const cot = makeCotangents(op, c, seed)
  const grads = await kernelVjp(op, c, cot)
  const next = seededUniform(seed ^ 0x2545f491)
  for (const name of inputNames) {
    const g = grads[name]
    if (g === undefined || g.length === 0) continue
    const direction = Float64Array.from(g, () => next())
    const scaleOfInput = Math.max(1, ...Array.from((c.inputs[name] as F64).data, Math.abs))
    const step = tol.fdStep * scaleOfInput
    const fd = (referenceScalar(shifted(c, name, direction, step), cot) - referenceScalar(shifted(c, name, direction, -step), cot)) / (2 * step)
    const lhs = dot(g, direction)
    if (!within(lhs, fd, tol.vjp, norm2(g) * norm2(direction))) return `v${name}: <kernel VJP, t> = ${lhs}, central difference ${fd}`
  }
  return undefined
}

const runs = { cpu: 100, wasm: 10, webgpu: 6 } as const

describe("op rasterize, gradient of each input (smooth mode)", () => {
  for (const backend of testBackends)
    for (const wide of [false, true])
      it(`${backend}: each input's VJP matches central differences of the reference${wide ? ", wide angle" : ""}`, async (t) => {
        const ready = await useBackend(backend)
        if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
        const op = testedOp(rasterize, ready.target)
        const gpu = backend === "webgpu"
        const scenes = arbScene({ noEmptyTensors: gpu, maxGaussians: gpu ? 3 : 5, maxSize: gpu ? 20 : 36, smooth: true, wide })
        await fc.assert(
          fc.asyncProperty(scenes, fc.integer(), async (raw, seed) => {
            const problem = await checkEachInput(op, roundCase(raw), seed, backend)
            assert.equal(problem, undefined)
          }),
          { numRuns: runs[backend] }
        )
      })
})
