import * as tf from "@tensorflow/tfjs"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { SMPL_PARENTS, SMPL_REST_JOINTS } from "../../src/body/model.ts"
import { bodyForward } from "../../src/ops/bodyForward/bodyForward.ts"
import { axisAngleToMatrix as rodrigues64 } from "../../src/math/rotation.ts"
import { canonicalBody, canonicalPose } from "../../src/body/canonical.ts"
import { rodrigues } from "../../src/ops/bodyForward/rotation.ts"
import { applyOp } from "../../src/ops/apply.ts"
import { evalContext } from "../../src/ops/contract.ts"
import { arbDim } from "../../src/testing/arbitraries.ts"
import { testBackends, useBackend } from "../../src/testing/backends.ts"
import { arbF64, checkOp } from "../../src/testing/harness.ts"
import { tolerances, within } from "../../src/testing/tolerances.ts"

/** A random kinematic tree: each joint's parent is an earlier joint. */
const arbParents = (j: number) => fc.tuple(...Array.from({ length: j - 1 }, (_, i) => fc.integer({ min: 0, max: i }))).map((ps) => [-1, ...ps])

/** Pose rows: ordinary angles, with some joints exactly at zero or at 1e-8 (the series branch). */
const arbPose = (b: number, j: number) =>
  fc.tuple(arbF64([b, j, 3], { min: -1.5, max: 1.5 }), fc.array(fc.constantFrom("keep", "zero", "tiny"), { minLength: b * j, maxLength: b * j })).map(([pose, kinds]) => {
    const data = pose.data.slice()
    kinds.forEach((kind, row) => {
      if (kind === "zero") data.fill(0, 3 * row, 3 * row + 3)
      if (kind === "tiny") data.set([1e-8, -2e-8, 0.5e-8], 3 * row)
    })
    return { shape: pose.shape, data }
  })

const arbWeights = (v: number, j: number) =>
  arbF64([v, j], { min: 0.05, max: 1 }).map((w) => {
    const data = w.data.slice()
    for (let r = 0; r < v; r++) {
      const row = data.subarray(r * j, r * j + j)
      const sum = row.reduce((a, x) => a + x, 0)
      row.forEach((x, c) => (row[c] = x / sum))
    }
    return { shape: w.shape, data }
  })

const cases = fc.tuple(arbDim(1, 2), arbDim(2, 4), arbDim(2, 5), arbDim(1, 2)).chain(([b, j, v, k]) =>
  fc.record({
    inputs: fc.record({
      betas: arbF64([b, k], { min: -2, max: 2 }),
      pose: arbPose(b, j),
      transl: arbF64([b, 3]),
      vTemplate: arbF64([v, 3]),
      shapeDirs: arbF64([v, 3, k], { min: -0.1, max: 0.1 }),
      jRegressor: arbWeights(j, v),
      weights: arbWeights(v, j)
    }),
    attrs: arbParents(j).map((parents) => ({ parents }))
  })
)

checkOp(bodyForward, { arbitrary: cases, tolerance: "bodyForward", numRuns: { cpu: 20, wasm: 20, webgpu: 4 } })

const rotationOf = async (r: ReadonlyArray<number>): Promise<Float64Array> => {
  const t = rodrigues(tf.tensor2d([[...r]]))
  const values = Float64Array.from(await t.data())
  t.dispose()
  return values
}

/** d R / d r_k at r = 0 is the cross-product matrix of the k-th unit vector. */
const rotationGradientAtZero = async (cot: ReadonlyArray<number>): Promise<Float64Array> => {
  const g = tf.grad((r: tf.Tensor) => tf.sum(tf.mul(rodrigues(r), tf.tensor3d([...cot], [1, 3, 3]))))(tf.zeros([1, 3]))
  const values = Float64Array.from(await g.data())
  g.dispose()
  return values
}

describe("rodrigues near zero angle", () => {
  for (const backend of testBackends) {
    it(`${backend}: exact and finite at 0 and 1e-8, with the right gradient at 0`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return t.skip(`no ${backend}: ${ready.reason}`)
      const tol = tolerances.bodyForward[backend]
      for (const r of [[0, 0, 0], [1e-8, 0, 0], [0, -1e-8, 0], [3e-9, 4e-9, -1e-8], [1e-3, 0, 0], [0.4, -0.2, 0.9]]) {
        const got = await rotationOf(r)
        const want = rodrigues64(r)
        got.forEach((x, i) => assert.ok(Number.isFinite(x) && within(x, want[i]!, tol.forward), `r=${r} entry ${i}: ${x} vs ${want[i]}`))
      }
      const cot = [0.3, -1, 0.2, 0.7, 0.1, -0.5, 0.9, 0.4, -0.8]
      const g = await rotationGradientAtZero(cot)
      // <cot, [e_k]x>: k = 0 -> cot[7] - cot[5], k = 1 -> cot[2] - cot[6], k = 2 -> cot[3] - cot[1]
      const want = [cot[7]! - cot[5]!, cot[2]! - cot[6]!, cot[3]! - cot[1]!]
      g.forEach((x, k) => assert.ok(within(x, want[k]!, tol.vjp), `gradient ${k}: ${x} vs ${want[k]}`))
    })
  }
  it("float64 reference: series and closed form agree across the switch", () => {
    const below = rodrigues64([0.9999e-3, 0, 0])
    const above = rodrigues64([1.0001e-3, 0, 0])
    below.forEach((x, i) => assert.ok(Math.abs(x - above[i]!) < 1e-6))
    assert.deepEqual(Array.from(rodrigues64([0, 0, 0])), [1, 0, 0, 0, 1, 0, 0, 0, 1])
  })
})

describe("bodyForward on the open body", () => {
  it("cpu: rest pose returns the template, the rest joints and identity transforms", async () => {
    await useBackend("cpu")
    const body = openBody()
    const V = body.vertexCount
    const out = tf.tidy(() => {
      const r = applyOp(bodyForward, {
        betas: tf.zeros([1, body.shapeCount]),
        pose: tf.zeros([1, 24, 3]),
        transl: tf.zeros([1, 3]),
        vTemplate: tf.tensor2d(Float32Array.from(body.vTemplate), [V, 3]),
        shapeDirs: tf.tensor3d(Float32Array.from(body.shapeDirs), [V, 3, body.shapeCount]),
        jRegressor: tf.tensor2d(Float32Array.from(body.jRegressor), [24, V]),
        weights: tf.tensor2d(Float32Array.from(body.weights), [V, 24])
      }, { parents: SMPL_PARENTS }, evalContext)
      return [r.vertices, r.transforms, r.joints]
    })
    const [vertices, transforms, joints] = await Promise.all(out.map((t) => t.data()))
    tf.dispose(out)
    let worst = 0
    vertices!.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - body.vTemplate[i]!))))
    assert.ok(worst < 1e-5, `vertices moved by ${worst}`)
    SMPL_REST_JOINTS.forEach((p, j) => p.forEach((x, c) => assert.ok(Math.abs(joints![3 * j + c]! - x) < 1e-5, `joint ${j}`)))
    for (let j = 0; j < 24; j++)
      for (let e = 0; e < 16; e++) assert.ok(Math.abs(transforms![16 * j + e]! - (e % 5 === 0 ? 1 : 0)) < 1e-5, `transform ${j} entry ${e}`)
  })
})

describe("canonical pose (GaussianAvatar's)", () => {
  it("spreads the hips by 30 degrees each, lifts by 0.3 m, and has exact inverse transforms", () => {
    const pose = canonicalPose()
    assert.ok(Math.abs(pose[5]! - Math.PI / 6) < 1e-12 && Math.abs(pose[8]! + Math.PI / 6) < 1e-12)
    assert.equal(pose.filter((x) => x !== 0).length, 2)
    const body = openBody()
    const c = canonicalBody(body)
    assert.ok(Math.abs(c.joints[1]! - (SMPL_REST_JOINTS[0]![1] + 0.3)) < 1e-9, "pelvis not lifted by 0.3")
    assert.ok(c.joints[3 * 7]! > SMPL_REST_JOINTS[7]![0] + 0.15 && c.joints[3 * 8]! < SMPL_REST_JOINTS[8]![0] - 0.15, "ankles not spread")
    for (let j = 0; j < 24; j++)
      for (let r = 0; r < 4; r++)
        for (let col = 0; col < 4; col++) {
          let x = 0
          for (let k = 0; k < 4; k++) x += c.transforms[16 * j + 4 * r + k]! * c.inverseTransforms[16 * j + 4 * k + col]!
          assert.ok(Math.abs(x - (r === col ? 1 : 0)) < 1e-12)
        }
  })
})
