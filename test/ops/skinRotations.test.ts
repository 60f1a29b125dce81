/**
 * skinRotations against its Float64 reference (forward, VJP by central differences, finiteness), on joint
 * rotations near a random common rotation (so that their blend is far from singular) with small non-rigid
 * perturbations, and a perturbed random camera rotation, away from results turned by 180 degrees (w = 0, where the
 * sign convention flips the quaternion: the rasteriser does not mind, finite differences do); and the reference's meaning on rigid cases: with one
 * rotation R for every joint and a camera rotation C, the result is the quaternion product q_C q_R q.
 */
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { skinRotations } from "../../src/ops/skinRotations/skinRotations.ts"
import { skinRotationsReference } from "../../src/ops/skinRotations/skinRotations.ref.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { arbF64, checkOp, f64 } from "../../src/testing/harness.ts"

type Q = [number, number, number, number]

const unit = (q: ArrayLike<number>): Q => {
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!)
  return [q[0]! / n, q[1]! / n, q[2]! / n, q[3]! / n]
}

/** Row-major 4x4 of a rotation (from a quaternion), a translation, and an additive perturbation of the 3x3 part. */
const transform = (q: ArrayLike<number>, t: ArrayLike<number>, noise: ArrayLike<number> = new Float64Array(9)): number[] => {
  const [w, x, y, z] = unit(q)
  const r = [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y), 2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x), 2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]
  return [0, 1, 2].flatMap((row) => [...[0, 1, 2].map((c) => r[3 * row + c]! + noise[3 * row + c]!), t[row]!]).concat([0, 0, 0, 1])
}

const product = (a: Q, b: Q): Q => [
  a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
  a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
  a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
  a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]
]

/** Quaternions kept away from 0 (where normalising is not differentiable). */
const arbQuaternions = (n: number) =>
  arbF64([n, 4], { min: -1, max: 1 }).map((q) => {
    const data = q.data.slice()
    for (let i = 0; i < n; i++) if (Math.hypot(...data.subarray(4 * i, 4 * i + 4)) < 0.3) data[4 * i]! += 1
    return { shape: q.shape, data }
  })

const arbWeights = (n: number, j: number) =>
  arbF64([n, j], { min: 0.05, max: 1 }).map((w) => {
    const data = w.data.slice()
    for (let r = 0; r < n; r++) {
      const sum = data.subarray(r * j, (r + 1) * j).reduce((a, v) => a + v, 0)
      for (let c = 0; c < j; c++) data[r * j + c]! /= sum
    }
    return { shape: w.shape, data }
  })

/** Per sample a random rotation; each joint's within about 0.6 rad of it, with 3x3 noise up to 0.05. */
const arbTransforms = (b: number, j: number) =>
  fc.tuple(arbQuaternions(b), arbF64([b, j, 4], { min: -0.15, max: 0.15 }), arbF64([b, j, 3]), arbF64([b, j, 9], { min: -0.05, max: 0.05 })).map(([base, spread, t, noise]) => ({
    shape: [b, j, 4, 4],
    data: Float64Array.from({ length: b * j }, (_, k) => k).reduce<number[]>((acc, k) => {
      const s = Math.floor(k / j)
      const q = unit(base.data.subarray(4 * s, 4 * s + 4)).map((v, i) => v + spread.data[4 * k + i]!)
      return acc.concat(transform(q, t.data.subarray(3 * k, 3 * k + 3), noise.data.subarray(9 * k, 9 * k + 9)))
    }, [])
  })).map((t) => ({ shape: t.shape, data: Float64Array.from(t.data) }))

const arbCamera = fc.tuple(arbQuaternions(1), arbF64([3]), arbF64([9], { min: -0.05, max: 0.05 })).map(([q, t, noise]) => ({ shape: [4, 4], data: Float64Array.from(transform(q.data, t.data, noise.data)) }))

const cases = fc.tuple(arbDim(1, 2), arbDim(1, 3), arbDim(1, 3)).chain(([b, n, j]) =>
  fc.record({
    inputs: fc.record({ rotations: arbQuaternions(n), weights: arbWeights(n, j), transforms: arbTransforms(b, j), matrix: arbCamera }),
    attrs: fc.constant({})
  })
).filter((c) => {
  // Away from w = 0 (a 180-degree result), where the sign convention w >= 0 flips the quaternion.
  const out = skinRotationsReference.forward(c.inputs, c.attrs).out.data
  return out.every((v, i) => i % 4 !== 0 || v > 0.05)
})

checkOp(skinRotations, { arbitrary: cases, tolerance: "default", numRuns: { cpu: 15, wasm: 15, webgpu: 4 } })

describe("skinRotations reference", () => {
  it("rigid: one rotation R for every joint and a camera C give q_C q_R q (w >= 0)", () => {
    fc.assert(
      fc.property(arbQuaternions(3), arbF64([2, 3]), fc.integer({ min: 1, max: 4 }), (qs, t, j) => {
        const [qR, qC, q] = [0, 1, 2].map((i) => unit(qs.data.subarray(4 * i, 4 * i + 4))) as [Q, Q, Q]
        const joint = transform(qR, t.data.subarray(0, 3))
        const out = skinRotationsReference.forward(
          {
            rotations: f64([1, 4], q),
            weights: f64([1, j], Array.from({ length: j }, () => 1 / j)),
            transforms: f64([1, j, 4, 4], Array.from({ length: j }, () => joint).flat()),
            matrix: f64([4, 4], transform(qC, t.data.subarray(3, 6)))
          },
          {}
        ).out
        const expected = product(product(qC, qR), q)
        // the same rotation (q or -q), with w >= 0
        const dot = expected.reduce((a, v, i) => a + v * out.data[i]!, 0)
        assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9 && out.data[0]! >= 0, `${Array.from(out.data)} vs ${expected}`)
      })
    )
  })
})
