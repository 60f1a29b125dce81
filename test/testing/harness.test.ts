/**
 * The harness must be able to fail: a custom op with a deliberately wrong
 * backward, or a forward that disagrees with its reference, is caught. The
 * same op with the right backward passes (this also exercises the Custom
 * kernel path of applyOp, with two outputs).
 */
import * as tf from "@tensorflow/tfjs"
import assert from "node:assert/strict"
import { before, describe, it } from "node:test"
import { defineOp } from "../../src/dsl/op.ts"
import { port } from "../../src/dsl/shape.ts"
import type { CustomKernel } from "../../src/ops/contract.ts"
import type { TestedOp } from "../../src/testing/references.ts"
import { useBackend } from "../../src/testing/backends.ts"
import { f64 } from "../../src/testing/f64.ts"
import { checkForward, checkVjp } from "../../src/testing/opChecks.ts"
import { tolerances } from "../../src/testing/tolerances.ts"

const squareSpec = defineOp({
  name: "squareAndSum",
  doc: "test op: out = x^2 elementwise, total = sum(x^2)",
  inputs: ["x"],
  outputs: ["out", "total"],
  differentiable: ["x"],
  signature: (_attrs: { readonly gradScale: number; readonly forwardBias: number }) => ({
    inputs: { x: port(["N"]) },
    outputs: { out: port(["N"]), total: port([]) }
  })
})

/** A custom kernel whose forward keeps 2x for its backward, in a record the backward receives typed. */
const squareKernel: CustomKernel<typeof squareSpec, { readonly twoX: tf.Tensor }> = {
  _tag: "Custom",
  forward: ({ x }, { forwardBias }) => {
    const out = tf.add(tf.square(x), forwardBias)
    return { outputs: { out, total: tf.sum(tf.square(x)) }, saved: { twoX: tf.mul(x, 2) } }
  },
  // d/dx: 2x * (vOut + vTotal), scaled by gradScale (1 is right, anything else is wrong); 2x comes from the saved record.
  backward: ({ saved, grads, attrs }) => ({ vX: tf.mul(tf.mul(saved.twoX, attrs.gradScale), tf.add(grads.out, grads.total)) })
}

const squareOp: TestedOp<typeof squareSpec> = {
  spec: squareSpec,
  kernel: squareKernel,
  reference: {
    forward: ({ x }) => ({
      out: { shape: x.shape, data: x.data.map((v) => v * v) },
      total: { shape: [], data: Float64Array.of(x.data.reduce((s, v) => s + v * v, 0)) }
    })
  }
}

const tol = tolerances.selfTest.cpu
const x = f64([3], [0.5, -1.25, 2])

describe("gradient harness self-test", () => {
  before(async () => assert.equal((await useBackend("cpu")).ok, true))

  it("accepts a correct custom backward with two outputs", async () => {
    assert.equal(await checkVjp(squareOp, { inputs: { x }, attrs: { gradScale: 1, forwardBias: 0 } }, tol, 7), undefined)
  })

  it("rejects a backward that is off by 1%", async () => {
    const problem = await checkVjp(squareOp, { inputs: { x }, attrs: { gradScale: 1.01, forwardBias: 0 } }, tol, 7)
    assert.match(problem ?? "", /central difference/)
  })

  it("rejects a forward that disagrees with the reference", async () => {
    const problem = await checkForward(squareOp, { inputs: { x }, attrs: { gradScale: 1, forwardBias: 1e-3 } }, tol)
    assert.match(problem ?? "", /output "out"/)
  })

  it("checks large inputs along random directions and still rejects a wrong backward", async () => {
    const big = f64([100], Array.from({ length: 100 }, (_, i) => Math.sin(i)))
    assert.equal(await checkVjp(squareOp, { inputs: { x: big }, attrs: { gradScale: 1, forwardBias: 0 } }, tol, 3), undefined)
    assert.notEqual(await checkVjp(squareOp, { inputs: { x: big }, attrs: { gradScale: 1.05, forwardBias: 0 } }, tol, 3), undefined)
  })
})
