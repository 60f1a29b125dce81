/**
 * graphs.fit: the graph and its first-stage edit typecheck, and the two-stage fit moves a body that
 * starts with its arms at rest and its translation 10 cm off to the pose whose landmarks it is shown
 * (3 frames, exact keypoints and 3D landmarks from the open body in a known pose, silhouettes
 * switched off).
 */
import { Effect, Layer } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { typecheck } from "../../src/dsl/typecheck.ts"
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
    const config = { frames: 3, points: points.count, landmarkRows: points.landmarkRows, bones: builder.choices.bones.map((b) => b.joints), camera: { ...camera, width: W, height: W }, silhouette: { width: 32, height: 32, scale: 32 / W }, settings: fitSettings() }
    for (const g of [fitGraph(config), orientationStage(fitGraph(config))]) Effect.runSync(typecheck(g))
    assert.equal(orientationStage(fitGraph(config)).params.bodyDelta.frozen, true)
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
    const fit = await Effect.runPromise(fitClip({ landmarks, world, masks, width: W, height: W, camera, starts }, builder).pipe(Effect.provide(layers)))
    const after = truth.map((_, f) => keypointError(pose.pose(fit.poses.subarray(72 * f, 72 * f + 72), fit.transl.subarray(3 * f, 3 * f + 3)), landmarks[f]!, rules, vertices))
    for (let f = 0; f < 3; f++) {
      assert.ok(before[f]! > 10, `frame ${f} starts ${before[f]} px off`)
      assert.ok(after[f]! < 2.5, `frame ${f} ends ${after[f]} px off (started ${before[f]})`)
    }
  })
})
