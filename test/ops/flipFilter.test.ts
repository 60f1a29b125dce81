/** flipFilter (src/ops/conv2d/flipFilter.ts) equals tfjs's reverse + transpose, values and gradient, on the backends present. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import * as tf from "@tensorflow/tfjs"
import { flipFilter } from "../../src/ops/conv2d/flipFilter.ts"
import { testBackends, useBackend } from "../../src/testing/backends.ts"

const byTf = (w: tf.Tensor): tf.Tensor => tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2])

describe("flipFilter", () => {
  for (const backend of testBackends)
    it(`equals reverse + transpose on ${backend}, forward and gradient`, async (t) => {
      const ready = await useBackend(backend)
      if (!ready.ok) return t.skip(ready.reason)
      for (const shape of [[1, 1, 1, 1], [2, 3, 5, 7], [3, 3, 4, 2]] as [number, number, number, number][]) {
        const w = tf.randomNormal(shape) as tf.Tensor4D
        const dy = tf.randomNormal([shape[0], shape[1], shape[3], shape[2]])
        assert.deepEqual(Array.from(await flipFilter(w).data()), Array.from(await byTf(w).data()))
        const ours = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(flipFilter(x as tf.Tensor4D), dy)))(w)
        const theirs = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(byTf(x), dy)))(w)
        assert.deepEqual(Array.from(await ours.data()), Array.from(await theirs.data()))
      }
    })
})
