/**
 * The ablation variants of the avatar graphs on a tiny synthetic dataset: each typechecks, has and
 * lacks the expected params and nodes, and trains a few steps on wasm with finite losses; the new
 * heads receive gradients (their biases move from their starting values), frozen poses stay put.
 */
import { Effect, Either, Option } from "effect"
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { AnyGraph, NodeSpec, ParamSpec, Ref } from "../../src/dsl/graph.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { stage1 } from "../../src/graphs/avatar/stage1.ts"
import { stage2 } from "../../src/graphs/avatar/stage2.ts"
import { anisotropic, learnedOpacity, noPoseEncoder, noPoseOptimisation } from "../../src/graphs/avatar/variants/index.ts"
import type { TrainedState } from "../../src/runtime/state.ts"
import { run } from "../../src/runtime/run.ts"
import { tempDir, runWith } from "../runtime/helpers.ts"
import type { TinyAvatar } from "./tinyAvatar.ts"
import { tinyAvatar } from "./tinyAvatar.ts"
import { rmSync } from "node:fs"

const dir = tempDir("variants")
let tiny: TinyAvatar
before(async () => {
  tiny = await tinyAvatar(dir)
})
after(() => rmSync(dir, { recursive: true, force: true }))

const params = (g: AnyGraph) => g.params as Record<string, ParamSpec>
const nodes = (g: AnyGraph) => g.nodes as Record<string, NodeSpec>
const renderInput = (g: AnyGraph, port: string) => (nodes(g)["render"]?.inputs as Record<string, Ref>)[port]

const assertTypechecks = (g: AnyGraph) => {
  const checked = Effect.runSync(Effect.either(typecheck(g)))
  assert.ok(Either.isRight(checked), String(Either.isLeft(checked) && checked.left.message))
}

/** A few training steps on wasm; every loss finite. */
const train = async (g: AnyGraph, steps = 2): Promise<TrainedState> => {
  const result = await runWith("wasm", run(g, tiny.dataset, { epochs: 2, maxSteps: steps, constants: tiny.setup.constants }))
  assert.ok(Either.isRight(result), String(Either.isLeft(result) && result.left.message))
  assert.equal(result.right.history.length, steps)
  assert.ok(result.right.history.every((s) => Number.isFinite(s.total)), JSON.stringify(result.right.history))
  return result.right
}

describe("avatar variants", () => {
  it("no pose encoder: stage 2 without the U-Net, its position map and its regulariser", async () => {
    const full: AnyGraph = stage2(tiny.config)
    const g = noPoseEncoder(tiny.config)
    assertTypechecks(g)
    const removed = [...Object.keys(full.params), ...Object.keys(full.nodes)].filter((n) => n.startsWith("poseEncoder."))
    assert.ok(removed.length > 10)
    for (const name of [...removed, "poseMapBatch", "poseMap", "withPose", "poseFeatureReg", "texelVertices", "texelBary"]) assert.ok(!(name in g.params) && !(name in g.nodes), name)
    assert.ok(!("poseFeatures" in g.losses) && !("poseEncoder" in g.groups))
    assert.ok(Object.keys(g.updates).every((p) => p in g.params))
    assert.deepEqual(Object.keys(g.losses).sort(), ["l1", "offset", "ssim"])
    assert.deepEqual(nodes(g)["featureMap"]?.inputs, { x: (nodes(full)["withPose"]?.inputs as Record<string, Ref>)["a"] })
    // everything else is stage 2's: frozen feature tensor and poses, trained decoder
    assert.ok(params(g)["features.tensor"]?.frozen && params(g)["pose"]?.frozen && !params(g)["decoder.color.out.w"]?.frozen)
    await train(g)
  })

  it("anisotropic: three scales and a learned quaternion, skinned and turned to the camera, into the rasteriser", async () => {
    const g = anisotropic(stage1(tiny.config), tiny.config)
    assertTypechecks(g)
    const hidden = tiny.config.sizes.hidden
    assert.deepEqual(params(g)["decoder.scale.out.w"]?.shape, [hidden, 3])
    assert.deepEqual(params(g)["decoder.rotation.out.w"]?.shape, [hidden, 4])
    assert.ok("decoder.rotation.0" in g.nodes && !("noRotations" in g.params))
    assert.ok("decoder.rotation.0.bn.runningMean" in g.updates)
    assert.deepEqual(renderInput(g, "rotations"), { _tag: "Node", node: "rotations", output: "out" })
    assert.deepEqual(nodes(g)["rotationsBatch"]?.inputs, {
      rotations: { _tag: "Node", node: "decoder.rotation.out", output: "out" },
      weights: { _tag: "Param", name: "queryWeights" },
      transforms: { _tag: "Node", node: "canonicalToLive", output: "out" },
      matrix: { _tag: "Input", name: "extrinsic" }
    })
    const state = await train(g)
    assert.ok(Array.from(state.params["decoder.rotation.out.b"]?.data ?? []).some((b) => b !== 1), "the rotation head gets no gradient")
    // the same edit fits stage 2
    assertTypechecks(anisotropic(stage2(tiny.config), tiny.config))
  })

  it("learned opacity: a sigmoid head into the rasteriser's opacities", async () => {
    const g = learnedOpacity(stage1(tiny.config), tiny.config)
    assertTypechecks(g)
    assert.deepEqual(params(g)["decoder.opacity.out.w"]?.shape, [tiny.config.sizes.hidden, 1])
    assert.ok("opacitySigmoid" in g.nodes && !("noOpacities" in g.params))
    assert.deepEqual(renderInput(g, "opacities"), { _tag: "Node", node: "opacities", output: "out" })
    const state = await train(g)
    assert.ok(Array.from(state.params["decoder.opacity.out.b"]?.data ?? []).some((b) => b !== 2), "the opacity head gets no gradient")
    assertTypechecks(learnedOpacity(anisotropic(stage2(tiny.config), tiny.config), tiny.config))
  })

  it("no pose optimisation: the per-frame pose and translation stay the dataset's", async () => {
    const g = noPoseOptimisation(stage1(tiny.config))
    assertTypechecks(g)
    assert.ok(params(g)["pose"]?.frozen && params(g)["transl"]?.frozen && params(g)["pose"]?.perFrame)
    assert.ok(!params(stage1(tiny.config))["pose"]?.frozen)
    const state = await train(g)
    for (const key of ["pose", "transl"]) {
      const given = Option.getOrThrow(tiny.dataset.perFrame(key))
      assert.deepEqual(Array.from(state.frameParams[key]?.data ?? []), Array.from(given.data), key)
    }
  })
})
