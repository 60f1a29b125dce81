/**
 * The scale warm-up across the two stages: stage 1 ramps over scaleWarmUpIterations, stage 2
 * continues the ramp from the iterations stage 1 ran (full scales without that number), and the
 * offset regulariser is weighted by the valid fraction of the query map.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { valueAt } from "../../src/dsl/schedule.ts"
import type { Schedule } from "../../src/dsl/schedule.ts"
import type { Stage1Config } from "../../src/graphs/avatar/config.ts"
import { quickSizes, stage1Losses, stage1Rates } from "../../src/graphs/avatar/config.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { stage2 } from "../../src/graphs/avatar/stage2.ts"

const config: Stage1Config = {
  dims: { V: 100, K: 10, N: 5000 },
  sizes: quickSizes,
  camera: { width: 64, height: 64, fx: 80, fy: 80, cx: 32, cy: 32 },
  losses: stage1Losses,
  rates: stage1Rates(1),
  scaleWarmUpIterations: 400
}

const factorAt = (graph: { readonly nodes: { readonly scaleWarmUp: { readonly attrs: unknown } } }, iteration: number): number =>
  valueAt((graph.nodes.scaleWarmUp.attrs as { readonly schedule: Schedule }).schedule, { epoch: 0, iteration })

describe("scale warm-up and offset weight of the avatar graphs", () => {
  it("stage 1 ramps over scaleWarmUpIterations", () => {
    assert.equal(factorAt(stage1(config), 0), 0)
    assert.equal(factorAt(stage1(config), 100), 0.25)
    assert.equal(factorAt(stage1(config), 1000), 1)
  })

  it("stage 2 continues from stage 1's iterations, or uses full scales without them", () => {
    assert.equal(factorAt(stage2({ ...config, stage1Iterations: 100 }), 0), 0.25)
    assert.equal(factorAt(stage2({ ...config, stage1Iterations: 100 }), 100), 0.5)
    assert.equal(factorAt(stage2(config), 0), 1)
  })

  it("the offset regulariser's weight carries the valid fraction N / Q^2", () => {
    const weight = stage1(config).losses.offset.weight
    const expected = valueAt(stage1Losses.offset, { epoch: 25, iteration: 0 }) * (5000 / (128 * 128))
    assert.ok(Math.abs(valueAt(weight, { epoch: 25, iteration: 0 }) - expected) < 1e-12)
  })
})
