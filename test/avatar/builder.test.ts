/**
 * Graph builders: run(graphs.stage1.with({ preset }), dataset) builds the graph and constants from the
 * dataset, takes the preset's epochs and batch size unless the options give them, stage 2 continues
 * stage 1's scale warm-up, and a dataset
 * without betas or intrinsics fails with a GraphError that says what the graphs need.
 */
import { Effect, Either, Layer } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { hostTensor, inMemory } from "../../src/data/dataset.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { graphs } from "../../src/graphs/index.ts"
import { definePreset } from "../../src/graphs/avatar/presets.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import { BackendLive } from "../../src/runtime/backend.ts"
import type { ProgressEvent } from "../../src/runtime/progress.ts"
import { ProgressCollect } from "../../src/runtime/progress.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"

const tiny = definePreset({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 2, stage2: 1 }, batchSize: 2, poseFrom: 0 })

const started = (events: ReadonlyArray<ProgressEvent>) => events.find((e) => e._tag === "Started") as Extract<ProgressEvent, { _tag: "Started" }>

describe("graph builders", () => {
  it("run(graphs.stage1.with({ preset }), dataset): the preset's epochs and batch size unless the options say otherwise", () =>
    withTempDir(async (dir) => {
      await Effect.runPromise(writeSynthetic(dir, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 3, size: 32, testFrames: 1, novelPoseFrames: 1, textureSize: 64 })))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const builder = graphs.stage1.with({ preset: tiny })
      assert.equal(builder.choices.preset.name, "tiny")
      assert.equal(graphs.stage1.choices.preset.name, "quick")
      const train = async (options: Parameters<typeof run>[2]) => {
        const events: ProgressEvent[] = []
        const layers = Layer.mergeAll(BackendLive("wasm"), BuiltinOps, ProgressCollect(events))
        const state = await Effect.runPromise(run(builder, dataset, options).pipe(Effect.provide(layers)))
        return { state, events }
      }
      const byPreset = await train({})
      // 3 frames in batches of 2: 2 steps per epoch, 2 epochs.
      assert.equal(started(byPreset.events).totalSteps, 4)
      assert.equal(byPreset.state.graph.name, "stage1")
      assert.ok(byPreset.state.constants["queryPoints"], "the builder's constants reach the trained state")
      assert.ok(byPreset.state.history.every((h) => Number.isFinite(h.total)))
      const overridden = await train({ epochs: 1, batchSize: 3 })
      assert.equal(started(overridden.events).totalSteps, 1)

      // Stage 2 continues the scale warm-up (preset.scaleWarmUp) from stage 1's planned iterations, or the given ones.
      const warmUpOf = async (builder: typeof graphs.stage2) => {
        const built = await Effect.runPromise(builder.build(dataset))
        return (built.graph.nodes as Record<string, { readonly attrs: unknown }>)["scaleWarmUp"]?.attrs
      }
      assert.deepEqual(await warmUpOf(graphs.stage2.with({ preset: tiny })), { schedule: { _tag: "WarmUp", base: 1, iterations: 1000, start: 4 } })
      assert.deepEqual(await warmUpOf(graphs.stage2.with({ preset: { ...tiny, scaleWarmUp: 50 }, stage1Iterations: 7 })), { schedule: { _tag: "WarmUp", base: 1, iterations: 50, start: 7 } })
    }))

  it("a dataset without betas fails with a GraphError naming the dataset", async () => {
    const dataset = inMemory("points", [{ image: hostTensor([4, 4, 3], new Float32Array(48)), intrinsic: hostTensor([3, 3], new Float32Array(9)) }])
    const result = await Effect.runPromise(Effect.either(graphs.stage2.build(dataset)))
    assert.ok(Either.isLeft(result))
    assert.equal(result.left._tag, "GraphError")
    assert.match(result.left.message, /graph "stage2", dataset "points", frame 0: has no "betas"/)
  })
})
