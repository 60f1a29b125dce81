/**
 * valueAndGrads (src/runtime/gradients.ts) against tfjs's own variableGrads: the same value and
 * gradients (undefined where the value does not depend on a variable), no tensor left behind, and a
 * lower peak of live buffers on a long chain (it frees gradients as it walks).
 */
import * as tf from "@tensorflow/tfjs"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { valueAndGrads } from "../../src/runtime/gradients.ts"
import { isRequired, testBackends, useBackend } from "../../src/testing/backends.ts"

/** A scalar of w and b through branches, a custom gradient and a reused tensor; `unused` plays no part. */
const objective = (w: tf.Variable, b: tf.Variable) => () => {
  const x = tf.linspace(-1, 1, 12).reshape([4, 3])
  const h = tf.add(tf.matMul(x, w), b)
  const squash = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [v, save] = args as [tf.Tensor, tf.GradSaveFunc]
    save([v])
    return { value: tf.tanh(v), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(s as tf.Tensor)))) }
  }) as (v: tf.Tensor) => tf.Tensor
  const y = squash(h)
  return tf.add(tf.sum(tf.mul(y, h)), tf.mean(tf.square(y))) as tf.Scalar
}

/** Peak count of live data buffers (a tensor and its views or clones share one) while `f` runs. */
const peakBuffers = (f: () => void): number => {
  const state = (tf.engine() as unknown as { state: { numDataBuffers: number } }).state
  let current = state.numDataBuffers
  let peak = current
  Object.defineProperty(state, "numDataBuffers", { configurable: true, get: () => current, set: (v: number) => ((current = v), (peak = Math.max(peak, v))) })
  try {
    f()
  } finally {
    Object.defineProperty(state, "numDataBuffers", { configurable: true, writable: true, value: current })
  }
  return peak
}

/** 30 steps of sin(1.01 h), each in its own tidy as the runtime evaluates nodes. */
const chain = (x: tf.Variable) => () => {
  let h: tf.Tensor = x
  for (let i = 0; i < 30; i++) {
    const before = h
    h = tf.tidy(() => tf.sin(tf.mul(before, 1.01)))
  }
  return tf.sum(h) as tf.Scalar
}

describe("valueAndGrads", () => {
  for (const backend of testBackends) {
    it(`${backend}: matches tf.variableGrads and leaves no tensor`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return isRequired(backend) ? assert.fail(ready.reason) : t.skip(ready.reason)
      const w = tf.variable(tf.tensor2d([0.3, -0.2, 0.5, 0.1, 0.4, -0.6, 0.2, 0.7, -0.1], [3, 3]))
      const b = tf.variable(tf.tensor1d([0.1, -0.1, 0.2]))
      const unused = tf.variable(tf.tensor1d([1, 2]))
      const expected = tf.variableGrads(objective(w, b), [w, b])
      const before = tf.memory().numTensors
      const ours = valueAndGrads(objective(w, b), [w, b, unused])
      assert.equal(tf.memory().numTensors, before + 3, "the value and two gradients, nothing else")
      assert.ok(Math.abs((await ours.value.data())[0]! - (await expected.value.data())[0]!) < 1e-5)
      for (const [k, v] of [w, b].entries()) {
        const got = await (ours.grads[k] as tf.Tensor).data()
        const want = await (expected.grads[v.name] as tf.Tensor).data()
        got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-5, `gradient ${k}[${i}]: ${g} vs ${want[i]}`))
      }
      assert.equal(ours.grads[2], undefined)
      tf.dispose([ours.value, ...ours.grads.filter((g) => g !== undefined), expected.value, ...Object.values(expected.grads), w, b, unused])
    })

    it(`${backend}: a lower peak of live buffers than tf.variableGrads on a long chain`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return isRequired(backend) ? assert.fail(ready.reason) : t.skip(ready.reason)
      const x = tf.variable(tf.randomNormal([1000], 0, 1, "float32", 1))
      const base = tf.memory().numDataBuffers
      const stock = peakBuffers(() => tf.dispose(Object.values(tf.tidy(() => tf.variableGrads(chain(x), [x])))))
      const lean = peakBuffers(() => {
        const r = valueAndGrads(chain(x), [x])
        tf.dispose([r.value, ...r.grads.filter((g) => g !== undefined)])
      })
      // Both keep the forward's saved tensors (3 buffers a step: h, the factor, 1.01 h); tfjs also keeps
      // the gradient of each of the chain's 60 intermediate tensors until the walk ends.
      assert.ok(stock - lean >= 50, `peak buffers above the start: ${lean - base}, tfjs's ${stock - base}`)
      x.dispose()
    })
  }
})
