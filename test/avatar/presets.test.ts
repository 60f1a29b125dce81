/** Presets: documented defaults fill what a preset leaves out; paper follows the original's schedule; bad values are refused. */
import { Either, Schema } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { paperSizes, quickSizes } from "../../src/graphs/avatar/config.ts"
import { definePreset, presets, PresetSchema } from "../../src/graphs/avatar/presets.ts"

describe("presets", () => {
  it("quick is the demo's settings and paper the original's", () => {
    assert.deepEqual(presets.quick, {
      name: "quick",
      sizes: quickSizes,
      epochs: { stage1: 8, stage2: 3 },
      batchSize: 1,
      poseFrom: 1,
      posePrior: 1,
      translPrior: 10,
      poseStart: { _tag: "Smoothed", knotSpacing: 6 },
      poseRefinement: { _tag: "Trajectory", knotSpacing: 6, rateScale: 0.1 },
      checkpointEpochs: 1,
      scaleWarmUp: 1000
    })
    assert.deepEqual(presets.paper, {
      name: "paper",
      sizes: paperSizes,
      epochs: { stage1: 200, stage2: 200 },
      batchSize: 2,
      poseFrom: 10,
      posePrior: 0,
      translPrior: 0,
      poseStart: { _tag: "Fit" },
      poseRefinement: { _tag: "PerFrame" },
      checkpointEpochs: 10,
      scaleWarmUp: 1000
    })
  })
  it("fills defaults and refuses invalid values", () => {
    assert.deepEqual(definePreset({ name: "short", epochs: { stage1: 2, stage2: 1 } }), { ...presets.quick, name: "short", epochs: { stage1: 2, stage2: 1 } })
    const decode = Schema.decodeUnknownEither(PresetSchema)
    assert.ok(Either.isLeft(decode({ name: "bad", batchSize: 0 })))
    assert.ok(Either.isLeft(decode({ name: "bad", posePrior: -1 })))
    assert.ok(Either.isLeft(decode({ name: "bad", translPrior: -1 })))
    assert.ok(Either.isLeft(decode({ name: "bad", poseStart: { _tag: "Smoothed", knotSpacing: 0 } })))
    assert.ok(Either.isLeft(decode({ name: "bad", poseStart: { _tag: "Spline" } })))
    assert.ok(Either.isLeft(decode({ name: "bad", poseRefinement: { _tag: "Trajectory", knotSpacing: 0 } })))
    assert.ok(Either.isLeft(decode({ name: "bad", poseRefinement: { _tag: "Trajectory" } })))
    assert.ok(Either.isLeft(decode({ name: "bad", epochs: { stage1: 1.5, stage2: 1 } })))
    assert.ok(Either.isLeft(decode({ epochs: { stage1: 1, stage2: 1 } })))
  })
})
