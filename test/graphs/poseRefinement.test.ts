/**
 * Where stage 1's pose refinement starts and what holds it (src/graphs/avatar/poseRefinement.ts):
 * the fit smoothed along time is nearer the truth than a noisy fit; a smoothed start makes the
 * per-frame params and their priors' copies start from the builder's constants; the translation prior
 * is there only when weighted; graphs.render drops both priors; the frozen-pose variant freezes the
 * poses at the fit as it is, not the smoothed one.
 */
import { Effect, Either, Option } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { meanBoneDirectionErrorDegrees, meanTranslationErrorCm } from "../../src/avatar/poseError.ts"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import type { AnyGraph, Init, ParamSpec } from "../../src/dsl/graph.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { avatarBuilder, defaultChoices } from "../../src/graphs/avatar/avatar.ts"
import { continuousRotations, poseStartConstants, smoothedFit, startKeys } from "../../src/graphs/avatar/poseRefinement.ts"
import { definePreset } from "../../src/graphs/avatar/presets.ts"
import { renderOf } from "../../src/graphs/avatar/render.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { noPoseOptimisation } from "../../src/graphs/avatar/variants/noPoseOptimisation.ts"
import { createRng, mixSeed } from "../../src/math/rng.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { trainingMotion } from "../../src/synth/motion.ts"
import { noisyFit } from "../../src/synth/poseNoise.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"
import { runWith } from "../runtime/helpers.ts"
import { tinyAvatar } from "./tinyAvatar.ts"

const body = openBody()
const arrays = { vTemplate: body.vTemplate, shapeDirs: body.shapeDirs, jRegressor: body.jRegressor, weights: body.weights, parents: Array.from(body.parents) }
const params = (g: AnyGraph) => g.params as Record<string, ParamSpec>
const initOf = (g: AnyGraph, name: string): Init | undefined => params(g)[name]?.init
const typechecks = (g: AnyGraph): boolean => Either.isRight(Effect.runSync(Effect.either(typecheck(g))))

describe("the start of pose refinement", () => {
  it("the fit smoothed along time is nearer the truth than the noisy fit (60 frames of the turning motion)", () => {
    const frames = 60
    const truth = trainingMotion(frames, createRng(mixSeed(1, 2)))
    const fit = noisyFit(truth, { degrees: 5, centimetres: 2 }, createRng(mixSeed(1, 10)))
    const smoothed = smoothedFit(fit.poses, fit.transl, frames, 6)
    const betas = new Float64Array(body.shapeCount)
    const bone = (m: { poses: ArrayLike<number>; transl: ArrayLike<number> }) => meanBoneDirectionErrorDegrees(arrays, betas, m, truth)
    assert.ok(bone({ poses: smoothed.pose, transl: smoothed.transl }) < 0.7 * bone(fit), `bones ${bone({ poses: smoothed.pose, transl: smoothed.transl })} vs ${bone(fit)}`)
    assert.ok(meanTranslationErrorCm(smoothed.transl, truth.transl) < 0.7 * meanTranslationErrorCm(fit.transl, truth.transl))
    // The turn past pi is continuous: no frame-to-frame jump of the root's rotation vector.
    const root = continuousRotations(truth.poses, frames)
    for (let t = 1; t < frames; t++) assert.ok(Math.hypot(...[0, 1, 2].map((c) => root[72 * t + c]! - root[72 * (t - 1) + c]!)) < 0.3, `frame ${t}`)
  })

  it("a smoothed start: params and prior copies start from the constants; render and the frozen variant drop it", () =>
    withTempDir(async (dir) => {
      const tiny = await tinyAvatar(dir)
      const smoothed = stage1({ ...tiny.config, poseStart: { _tag: "Smoothed", knotSpacing: 4 }, losses: { ...tiny.config.losses, posePrior: 1, translPrior: 10 } })
      assert.ok(typechecks(smoothed))
      assert.deepEqual(initOf(smoothed, "pose"), { _tag: "Given", key: startKeys.pose })
      assert.deepEqual(initOf(smoothed, "poseFit"), { _tag: "Given", key: startKeys.pose })
      assert.deepEqual(initOf(smoothed, "translFit"), { _tag: "Given", key: startKeys.transl })
      assert.ok("translPrior" in smoothed.losses && !params(smoothed)["transl"]?.frozen)
      const plain = stage1(tiny.config)
      assert.deepEqual(initOf(plain, "transl"), { _tag: "FromDataset", key: "transl" })
      assert.ok(!("translPrior" in plain.losses) && !("translFit" in plain.params))
      const rendered = renderOf(smoothed)
      assert.ok(typechecks(rendered))
      for (const name of ["posePrior", "translPrior"]) assert.ok(!(name in rendered.losses) && !(name in rendered.nodes), name)
      const frozen = noPoseOptimisation(smoothed)
      assert.ok(typechecks(frozen))
      for (const name of ["pose", "transl"]) assert.deepEqual([params(frozen)[name]?.frozen, initOf(frozen, name)], [true, { _tag: "FromDataset", key: name }], name)
      assert.ok(!("translPrior" in frozen.losses) && !("poseFit" in frozen.params))
    }))

  it("run(graphs.stage1) with a smoothed start trains from the smoothed fit the builder computes", () =>
    withTempDir(async (dir) => {
      const options = { ...DEFAULT_OPTIONS, frames: 6, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128, noise: { degrees: 5, centimetres: 2 } }
      await Effect.runPromise(writeSynthetic(dir, synthesize(body, options)))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const start = { _tag: "Smoothed", knotSpacing: 2 } as const
      assert.deepEqual(poseStartConstants(dataset, { _tag: "Fit" }), {})
      const constants = poseStartConstants(dataset, start)
      assert.deepEqual(constants[startKeys.pose]?.shape, [6, 1, 24, 3])
      assert.deepEqual(constants[startKeys.transl]?.shape, [6, 1, 3])
      // Poses from epoch 5 of 1: the rows keep their start.
      const preset = definePreset({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 1, stage2: 1 }, poseFrom: 5, poseStart: start })
      const result = await runWith("wasm", run(avatarBuilder({ ...defaultChoices(1), body, preset }), dataset))
      assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
      assert.deepEqual(Array.from(result.right.frameParams["pose"]?.data ?? []), Array.from(constants[startKeys.pose]?.data ?? []))
      const fit = Option.getOrThrow(dataset.perFrame("pose")).data
      assert.notDeepEqual(Array.from(result.right.frameParams["pose"]?.data ?? []), Array.from(fit))
    }))
})
