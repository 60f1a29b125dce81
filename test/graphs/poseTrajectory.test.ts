/**
 * Stage 1's poses refined as a trajectory (src/graphs/avatar/poseTrajectory.ts): node "body" reads the
 * rows plus the B-spline correction, the priors hold that rendered pose, graphs.render, the frozen-pose
 * variant and stage 2 do without it (or freeze its knots), and a trained state's poses are the rows
 * plus the correction, as the graph rendered them; stage 2 takes the knots from stage 1 and keeps them.
 */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import type { AnyGraph, NodeSpec, ParamSpec, Ref } from "../../src/dsl/graph.ts"
import { out, param } from "../../src/dsl/graph.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { avatarBuilder, defaultChoices } from "../../src/graphs/avatar/avatar.ts"
import { knotWeightsKey, trainedPoses, trajectoryConstants, trajectoryNames } from "../../src/graphs/avatar/poseTrajectory.ts"
import { definePreset } from "../../src/graphs/avatar/presets.ts"
import { renderOf } from "../../src/graphs/avatar/render.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { stage2 } from "../../src/graphs/avatar/stage2.ts"
import { noPoseOptimisation } from "../../src/graphs/avatar/variants/noPoseOptimisation.ts"
import { splineBasis } from "../../src/math/spline.ts"
import { trainingMotion } from "../../src/motion/training.ts"
import { run } from "../../src/runtime/run.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"
import { runWith } from "../runtime/helpers.ts"
import { tinyAvatar } from "./tinyAvatar.ts"

const body = openBody()
const params = (g: AnyGraph) => g.params as Record<string, ParamSpec>
const bodyInputs = (g: AnyGraph) => ((g.nodes as Record<string, NodeSpec>)["body"]?.inputs ?? {}) as Record<string, Ref>
const typechecks = (g: AnyGraph): boolean => Either.isRight(Effect.runSync(Effect.either(typecheck(g))))
const hasNoTrajectory = (g: AnyGraph): boolean => [...trajectoryNames.params].every((n) => !(n in g.params)) && [...trajectoryNames.nodes].every((n) => !(n in g.nodes))

describe("pose refinement as a trajectory", () => {
  it("body reads rows plus correction; render and the frozen variant drop it; stage 2 freezes the knots", () =>
    withTempDir(async (dir) => {
      const tiny = await tinyAvatar(dir)
      const config = { ...tiny.config, poseRefinement: { _tag: "Trajectory", knotSpacing: 6, rateScale: 0.1 } as const, frames: 30, losses: { ...tiny.config.losses, posePrior: 1, translPrior: 10 } }
      const graph = stage1(config)
      assert.ok(typechecks(graph))
      assert.equal(graph.dims["knots"], 8) // ceil(29 / 6) + 3
      assert.deepEqual(bodyInputs(graph)["pose"], out("bodyPose"))
      assert.deepEqual(bodyInputs(graph)["transl"], out("bodyTransl"))
      assert.deepEqual(((graph.nodes as Record<string, NodeSpec>)["posePrior"]?.inputs as Record<string, Ref>)["prediction"], out("bodyPose"))
      assert.equal(params(graph)["poseKnots"]?.frozen, false)
      assert.ok(params(graph)["knotWeights"]?.perFrame && params(graph)["knotWeights"]?.frozen)
      for (const variant of [renderOf(graph), noPoseOptimisation(graph)]) {
        assert.ok(typechecks(variant), variant.name)
        assert.ok(hasNoTrajectory(variant), variant.name)
      }
      assert.deepEqual(bodyInputs(noPoseOptimisation(graph))["pose"], param("pose"))
      const second = stage2(config)
      assert.ok(typechecks(second))
      for (const name of ["poseKnots", "translKnots", "pose", "transl"]) assert.equal(params(second)[name]?.frozen, true, name)
      // The paper preset's row-by-row refinement has no trajectory.
      assert.ok(hasNoTrajectory(stage1(tiny.config)))
    }))

  it("a trained state's poses are its rows plus the correction", () => {
    const frames = 5
    const basis = splineBasis(frames, 2)
    const K = basis.length / frames
    const poseKnots = Float32Array.from({ length: K * 72 }, (_, i) => Math.sin(i))
    const translKnots = Float32Array.from({ length: K * 3 }, (_, i) => Math.cos(i))
    const rows = { pose: { data: new Float32Array(frames * 72).fill(0.5) }, transl: { data: new Float32Array(frames * 3).fill(-1) } }
    const poses = trainedPoses({ poseKnots: { data: poseKnots }, translKnots: { data: translKnots } }, { ...rows, [knotWeightsKey]: { data: basis } })
    assert.ok(poses)
    for (const [t, c] of [[0, 0], [2, 40], [4, 71]] as const) {
      const expected = 0.5 + Array.from({ length: K }, (_, k) => basis[t * K + k]! * poseKnots[k * 72 + c]!).reduce((a, b) => a + b, 0)
      assert.ok(Math.abs(poses.pose[t * 72 + c]! - expected) < 1e-6, `pose ${t} ${c}`)
    }
    const translExpected = -1 + Array.from({ length: K }, (_, k) => basis[3 * K + k]! * translKnots[k * 3 + 1]!).reduce((a, b) => a + b, 0)
    assert.ok(Math.abs(poses.transl[3 * 3 + 1]! - translExpected) < 1e-6)
    // Without knots: the rows as they are.
    assert.deepEqual(Array.from(trainedPoses({}, rows)?.pose ?? []), Array.from(rows.pose.data))
  })

  it("run(graphs.stage1) with a trajectory moves the knots; the training motion holds rows plus correction", () =>
    withTempDir(async (dir) => {
      const options = { ...DEFAULT_OPTIONS, frames: 6, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128, noise: { degrees: 5, centimetres: 2 } }
      await Effect.runPromise(writeSynthetic(dir, synthesize(body, options)))
      const dataset = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
      const refinement = { _tag: "Trajectory", knotSpacing: 2, rateScale: 0.1 } as const
      assert.deepEqual(trajectoryConstants({ _tag: "PerFrame" }, 6), {})
      assert.deepEqual(trajectoryConstants(refinement, 6)[knotWeightsKey]?.shape, [6, 1, 6])
      const preset = definePreset({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 1, stage2: 1 }, poseFrom: 0, poseRefinement: refinement })
      const result = await runWith("wasm", run(avatarBuilder({ ...defaultChoices(1), body, preset }), dataset))
      assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
      const state = result.right
      const knots = Array.from(state.params["poseKnots"]?.data ?? [])
      assert.equal(knots.length, 6 * 72)
      assert.ok(knots.some((v) => v !== 0), "the knots moved")
      const motion = trainingMotion(trainedPoses(state.params, state.frameParams), "tiny")
      const rows = state.frameParams["pose"]?.data ?? []
      assert.ok(motion && motion.frames === 6)
      // Frame t renders rows(t) + sum over k of b_k(t) knots(k): the spline's basis, not the rows alone.
      const basis = splineBasis(6, 2)
      for (const [t, c] of [[0, 0], [3, 5], [5, 70]] as const) {
        const correction = Array.from({ length: 6 }, (_, k) => basis[t * 6 + k]! * knots[k * 72 + c]!).reduce((a, b) => a + b, 0)
        assert.ok(Math.abs(motion.poses[t * 72 + c]! - (rows[t * 72 + c]! + correction)) < 1e-6, `frame ${t} number ${c}`)
      }
      assert.ok(Array.from(motion.poses).some((v, i) => Math.abs(v - rows[i]!) > 1e-7), "the correction is applied")
      // Stage 2 starts from stage 1 (initFrom) and keeps its knots and rows frozen.
      const second = await runWith("wasm", run(avatarBuilder({ ...defaultChoices(2), body, preset }), dataset, { initFrom: state }))
      assert.ok(Either.isRight(second), String(Either.isLeft(second) && second.left.message))
      assert.deepEqual(Array.from(second.right.params["poseKnots"]?.data ?? []), knots)
      assert.deepEqual(Array.from(second.right.frameParams["pose"]?.data ?? []), Array.from(rows))
    }))
})
