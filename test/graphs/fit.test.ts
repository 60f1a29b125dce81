/**
 * graphs.fit: the graph and its first-stage edit typecheck, and the two-stage fit moves a body that
 * starts with its arms at rest and its translation 10 cm off to the pose whose landmarks it is shown
 * (3 frames, exact keypoints and 3D landmarks from the open body in a known pose, silhouettes
 * switched off); a clip's runs (frames dropped between them) become the temporal terms' breaks.
 */
import { Effect, Layer } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
import { inMemory } from "../../src/data/dataset.ts"
import { breaksOf, fitConfigOf } from "../../src/graphs/fit/builder.ts"
import { fitGraph, orientationStage } from "../../src/graphs/fit/fit.ts"
import { fitSettings } from "../../src/graphs/fit/settings.ts"
import { graphs } from "../../src/graphs/index.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import { keypointError, landmarkPixels, poser } from "../../src/prepare/check.ts"
import { fitClip } from "../../src/prepare/fit.ts"
import { BackendLive } from "../../src/runtime/backend.ts"
import { ProgressSilent } from "../../src/runtime/progress.ts"
import { eulerXYZ } from "../../src/synth/motion.ts"

const camera = { fx: 300, fy: 300, cx: 127.5, cy: 127.5 }
const W = 256

describe("graphs.fit", () => {
  it("typechecks, and so does its orientation stage", () => {
    const builder = graphs.fit
    const points = builder.points()
    const config = { frames: 3, points: points.count, landmarkRows: points.landmarkRows, bones: builder.choices.bones.map((b) => b.joints), camera: { ...camera, width: W, height: W }, silhouette: { width: 32, height: 32, scale: 32 / W }, breaks: [2], settings: fitSettings() }
    for (const g of [fitGraph(config), orientationStage(fitGraph(config))]) Effect.runSync(typecheck(g))
    assert.equal(orientationStage(fitGraph(config)).params.bodyDelta.frozen, true)
  })

  it("a clip's runs become breaks: the temporal terms of joints and translation do not reach across a dropped frame", async () => {
    const F = 6
    const host = (shape: ReadonlyArray<number>, data: ArrayLike<number>) => ({ shape, data: Float32Array.from(data) })
    const clip = (runs?: ReadonlyArray<number>) =>
      inMemory("clip", [
        {
          keypoints: host([F, 33, 2], new Float32Array(F * 66)),
          masks: host([F, 8, 8], new Float32Array(F * 64)),
          intrinsic: host([3, 3], [300, 0, 127.5, 0, 300, 127.5, 0, 0, 1]),
          imageSize: host([2], [W, W]),
          ...(runs ? { runs: host([F], runs) } : {})
        }
      ])
    const builder = graphs.fit
    const configOf = (runs?: ReadonlyArray<number>) => Effect.runPromise(fitConfigOf(clip(runs), builder.points(), builder.choices.bones, fitSettings()))
    assert.deepEqual(breaksOf([0, 0, 0, 1, 1, 2]), [3, 5])
    assert.deepEqual((await configOf()).breaks, [])
    const config = await configOf([0, 0, 0, 1, 1, 1])
    assert.deepEqual(config.breaks, [3])
    const graph = fitGraph(config)
    assert.deepEqual([graph.nodes.jointPath.attrs.breaks, graph.nodes.translPath.attrs.breaks], [[3], [3]])
  })

  it("recovers arms and translation from exact landmarks", async () => {
    const builder = graphs.fit.with({ settings: fitSettings({ steps: 120, orientSteps: 20, weights: { silhouette: 0 } }) })
    const body = openBody()
    const pose = poser(body, new Float64Array(10), camera, W, W)
    const rules = builder.choices.rules
    const vertices = builder.points().landmarkVertices
    const truth = [0, 1, 2].map((f) => {
      const p = new Float64Array(72)
      p.set([Math.PI, 0, 0], 0)
      p.set(eulerXYZ(0, 0, -0.8 - 0.1 * f), 16 * 3)
      p.set(eulerXYZ(0, 0, 0.6), 17 * 3)
      p.set([0, -0.5, 0], 18 * 3)
      return { pose: p, transl: Float64Array.of(0.05 * f, 0.2, 3) }
    })
    const landmarks = truth.map((t) => {
      const pixels = landmarkPixels(pose.pose(t.pose, t.transl), rules, vertices)
      return Float32Array.from(pixels.flatMap(([x, y]) => [x, y, 1]))
    })
    // 3D landmarks of the joint landmarks (the bones' ends), unprojected from pixels and depth.
    const world = truth.map((t) => {
      const joints = pose.pose(t.pose, t.transl).joints
      return Float32Array.from(rules.flatMap((r) => {
        if (r.point._tag !== "Joint") return [0, 0, 0]
        const [u, v, z] = [joints[3 * r.point.joint]!, joints[3 * r.point.joint + 1]!, joints[3 * r.point.joint + 2]!]
        return [((u - camera.cx) * z) / camera.fx, ((v - camera.cy) * z) / camera.fy, z]
      }))
    })
    const starts = truth.map((t) => ({ pose: Float64Array.from({ length: 72 }, (_, i) => (i < 3 ? t.pose[i]! : 0)), transl: Float64Array.of(t.transl[0]! + 0.1, 0.2, 3), seen: true }))
    const before = truth.map((_, f) => keypointError(pose.pose(starts[f]!.pose, starts[f]!.transl), landmarks[f]!, rules, vertices))
    const masks = truth.map(() => new Uint8Array(W * W))
    const layers = Layer.mergeAll(BackendLive("wasm"), BuiltinOps, ProgressSilent)
    const fit = await Effect.runPromise(fitClip({ landmarks, world, masks, runs: [0, 0, 0], width: W, height: W, camera, starts }, builder).pipe(Effect.provide(layers)))
    const after = truth.map((_, f) => keypointError(pose.pose(fit.poses.subarray(72 * f, 72 * f + 72), fit.transl.subarray(3 * f, 3 * f + 3)), landmarks[f]!, rules, vertices))
    for (let f = 0; f < 3; f++) {
      assert.ok(before[f]! > 10, `frame ${f} starts ${before[f]} px off`)
      assert.ok(after[f]! < 2.5, `frame ${f} ends ${after[f]} px off (started ${before[f]})`)
    }
  })
})
