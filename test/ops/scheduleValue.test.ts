import * as tf from "@tensorflow/tfjs"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { it } from "node:test"
import { product, stepDecay, warmUp } from "../../src/dsl/schedule.ts"
import { applyOp } from "../../src/ops/apply.ts"
import { scheduleValue } from "../../src/ops/scheduleValue/scheduleValue.ts"
import { useBackend } from "../../src/testing/backends.ts"
import { checkOp } from "../../src/testing/harness.ts"

const schedules = fc.oneof(
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.double({ min: 0.1, max: 5, noNaN: true }).map((base) => stepDecay(base, 0.85, 20)),
  fc.double({ min: 0.1, max: 5, noNaN: true }).map((base) => product(warmUp(base, 1000), stepDecay(1, 0.5, 3)))
)

checkOp(scheduleValue, { arbitrary: schedules.map((schedule) => ({ inputs: {}, attrs: { schedule } })) })

it("scheduleValue follows the evaluation's iteration (the scale warm-up: 1e-3 * iteration for 1000 iterations)", async () => {
  assert.equal((await useBackend("cpu")).ok, true)
  const at = async (iteration: number) => {
    const out = applyOp(scheduleValue, {}, { schedule: warmUp(1, 1000) }, { mode: "train", epoch: 0, iteration }).out
    const value = (await out.data())[0]
    out.dispose()
    return value
  }
  assert.deepEqual([await at(0), await at(250), await at(5000)], [0, 0.25, 1])
  assert.equal(tf.memory().numTensors, 0)
})
