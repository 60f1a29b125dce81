/**
 * The paper preset's sizes train on the CPU (issue 16): graphs.stage1 and graphs.stage2 with
 * presets.paper (query map 512, 173,643 Gaussians; feature tensor 128 x 64; decoder 128; batch 2)
 * run two steps each on wasm, on a 2-frame synthetic recording of 64x64 frames (the frame size
 * matters little to memory next to the Gaussians; bench memory measures 512x512), with finite
 * losses. Before issue 16 the first step aborted with the WebAssembly heap exhausted. The costliest
 * test of the suite: about 4 minutes on 2 quiet cores.
 */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { defaultChoices, avatarBuilder } from "../../src/graphs/avatar/avatar.ts"
import { presets } from "../../src/graphs/avatar/presets.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"
import { runWith } from "../runtime/helpers.ts"

describe("the paper preset's sizes", () => {
  it("train two steps per stage", () =>
    withTempDir(async (dir) => {
      await Effect.runPromise(writeSynthetic(dir, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 64, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const preset = presets.paper
      const stage1 = await runWith("wasm", run(avatarBuilder({ ...defaultChoices(1), preset }), dataset, { maxSteps: 2 }))
      assert.ok(Either.isRight(stage1), String(Either.isLeft(stage1) && stage1.left.message))
      const stage2 = await runWith("wasm", run(avatarBuilder({ ...defaultChoices(2), preset, stage1Iterations: stage1.right.step }), dataset, { maxSteps: 2, initFrom: stage1.right }))
      assert.ok(Either.isRight(stage2), String(Either.isLeft(stage2) && stage2.left.message))
      for (const state of [stage1.right, stage2.right]) {
        assert.equal(state.step, 2)
        assert.ok(state.history.every((h) => Number.isFinite(h.total)))
      }
    }))
})
