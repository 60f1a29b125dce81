import * as fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { fromEpoch, multiStep, product, stepDecay, valueAt, warmUp } from "../../src/dsl/schedule.ts"

describe("schedules", () => {
  it("multi-step counts milestones in epochs, not iterations", () => {
    const s = multiStep(3e-3, [100, 150], 0.5)
    assert.equal(valueAt(s, { epoch: 99, iteration: 10_000 }), 3e-3)
    assert.equal(valueAt(s, { epoch: 100, iteration: 10_001 }), 1.5e-3)
    assert.equal(valueAt(s, { epoch: 151, iteration: 20_000 }), 7.5e-4)
  })

  it("step decay is the offset regulariser's 10 * 0.85^floor(epoch / 20)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (epoch) => {
        assert.equal(valueAt(stepDecay(10, 0.85, 20), { epoch, iteration: 0 }), 10 * Math.pow(0.85, Math.floor(epoch / 20)))
      })
    )
  })

  it("warm-up ramps linearly to its base and stays there", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (iteration) => {
        const v = valueAt(warmUp(1, 1000), { epoch: 0, iteration })
        assert.equal(v, Math.min(1, iteration / 1000))
      })
    )
  })

  it("a warm-up started by an earlier run continues where it stopped", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (start, iteration) => {
        assert.equal(valueAt(warmUp(2, 1000, start), { epoch: 0, iteration }), valueAt(warmUp(2, 1000), { epoch: 0, iteration: start + iteration }))
      })
    )
  })

  it("from-epoch switches on late; products multiply", () => {
    const s = product(fromEpoch(10, 5e-3), warmUp(1, 100))
    assert.equal(valueAt(s, { epoch: 9, iteration: 900 }), 0)
    assert.equal(valueAt(s, { epoch: 10, iteration: 50 }), 2.5e-3)
  })
})
