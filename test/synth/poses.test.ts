/**
 * Pose helpers: axis-angle round trips (also near pi), noise statistics of the
 * noisy fits, and the held-out views' rigid moves (a moved pose poses the body
 * exactly where the move puts it).
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { bodyForward64 } from "../../src/body/forward64.ts"
import { createRng } from "../../src/math/rng.ts"
import { novelPoseMotion, trainingMotion } from "../../src/synth/motion.ts"
import { noisyFit } from "../../src/synth/poseNoise.ts"
import { angleBetween, axisAngleToMatrix, matrixToAxisAngle, nearestEquivalent } from "../../src/math/rotation.ts"
import { moveRigidly, tiltAbout } from "../../src/synth/views.ts"
import { hemLift } from "../../src/synth/garment.ts"
import { aPose } from "../../src/synth/studio.ts"

const rms = (xs: ReadonlyArray<number>): number => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length)

describe("pose helpers", () => {
  it("axis-angle -> matrix -> axis-angle is the identity for angles in [0, pi), also close to pi", () => {
    const rng = createRng(3)
    for (const angle of [0, 1e-8, 0.3, 2, 3, Math.PI - 1e-4, Math.PI - 1e-7]) {
      const axis = [rng.normal(), rng.normal(), rng.normal()]
      const n = Math.hypot(axis[0]!, axis[1]!, axis[2]!)
      const r = axis.map((x) => (x / n) * angle)
      const back = matrixToAxisAngle(axisAngleToMatrix(r))
      assert.ok(angleBetween(r, back) < 1e-6, `angle ${angle}: ${back} vs ${r}`)
      if (angle < 3) back.forEach((x, i) => assert.ok(Math.abs(x - r[i]!) < 1e-9, `angle ${angle}`))
    }
  })

  it("nearestEquivalent keeps a turn past pi past pi", () => {
    const r = matrixToAxisAngle(axisAngleToMatrix([0, 4, 0]))
    assert.ok(Math.abs(r[1] + (2 * Math.PI - 4)) < 1e-9)
    const near = nearestEquivalent(r, [0, 4.1, 0])
    assert.ok(Math.abs(near[1] - 4) < 1e-9)
  })

  it("noisy fits have the requested RMS rotation error per joint and RMS translation error", () => {
    const truth = trainingMotion(200, createRng(1))
    for (const level of [{ degrees: 5, centimetres: 2 }, { degrees: 2, centimetres: 0.5 }]) {
      const fit = noisyFit(truth, level, createRng(9))
      const angles: number[] = []
      for (let at = 0; at < truth.poses.length; at += 3) angles.push((angleBetween(truth.poses.subarray(at, at + 3), fit.poses.subarray(at, at + 3)) * 180) / Math.PI)
      const shifts: number[] = []
      for (let at = 0; at < truth.transl.length; at += 3) shifts.push(100 * Math.hypot(fit.transl[at]! - truth.transl[at]!, fit.transl[at + 1]! - truth.transl[at + 1]!, fit.transl[at + 2]! - truth.transl[at + 2]!))
      // 4800 joint rotations and 200 translations: RMS within 5% and 10%.
      assert.ok(Math.abs(rms(angles) / level.degrees - 1) < 0.05, `RMS angle ${rms(angles)} for ${level.degrees}`)
      assert.ok(Math.abs(rms(shifts) / level.centimetres - 1) < 0.1, `RMS shift ${rms(shifts)} for ${level.centimetres}`)
      // Written near the truth: no jumps of 2 pi in the global orientation.
      for (let at = 0; at < truth.poses.length; at += 72) assert.ok(Math.abs(fit.poses[at + 1]! - truth.poses[at + 1]!) < 0.5)
    }
    const exact = noisyFit(truth, { degrees: 0, centimetres: 0 }, createRng(9))
    assert.deepEqual(exact, truth)
  })

  it("a rigidly moved pose poses every vertex where the move takes it", () => {
    // A small made-up body: 4 vertices on joints 0 and 1 of a 2-joint chain.
    const body = {
      vTemplate: Float64Array.of(0, 0, 0, 0.2, 0.1, 0, 0, -0.5, 0.1, 0.1, -0.6, 0),
      shapeDirs: new Float64Array(0),
      jRegressor: Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0),
      weights: Float64Array.of(1, 0, 1, 0, 0, 1, 0.3, 0.7),
      parents: [-1, 0]
    }
    const pose = Float64Array.of(0.3, 2.5, -0.2, 0.4, 0, 0.1)
    const transl = Float64Array.of(0.1, -0.2, 0.05)
    const before = bodyForward64(body, new Float64Array(0), pose, transl, 1).vertices
    const m = tiltAbout([0, -0.3, 0], 0.4)
    const moved = moveRigidly(pose, transl, m, [0, 0, 0])
    const after = bodyForward64(body, new Float64Array(0), moved.pose, moved.transl, 1).vertices
    for (let v = 0; v < 4; v++)
      for (let r = 0; r < 3; r++) {
        const expected = m[4 * r]! * before[3 * v]! + m[4 * r + 1]! * before[3 * v + 1]! + m[4 * r + 2]! * before[3 * v + 2]! + m[4 * r + 3]!
        assert.ok(Math.abs(after[3 * v + r]! - expected) < 1e-9, `vertex ${v} coordinate ${r}`)
      }
  })

  it("the shirt's hem lifts when the arms go up, not in the A-pose", () => {
    assert.ok(hemLift(aPose()) < 0.002, `A-pose lift ${hemLift(aPose())}`)
    const novel = novelPoseMotion(20)
    const lifts = Array.from({ length: 20 }, (_, i) => hemLift(novel.poses.subarray(72 * i, 72 * i + 72)))
    assert.ok(lifts[19]! > 0.025, `arms up: lift ${lifts[19]}`)
    for (let i = 11; i < 20; i++) assert.ok(lifts[i]! >= lifts[i - 1]! - 1e-12, "the lift grows as the arms rise")
  })

  it("novel poses differ from every training pose", () => {
    const training = trainingMotion(60, createRng(1))
    const novel = novelPoseMotion(20)
    for (let i = 0; i < 20; i++) {
      let nearest = Infinity
      for (let t = 0; t < 60; t++) {
        let worst = 0
        for (let j = 1; j < 24; j++) worst = Math.max(worst, angleBetween(novel.poses.subarray(72 * i + 3 * j, 72 * i + 3 * j + 3), training.poses.subarray(72 * t + 3 * j, 72 * t + 3 * j + 3)))
        nearest = Math.min(nearest, worst)
      }
      assert.ok(nearest > (10 * Math.PI) / 180, `novel frame ${i} is within ${nearest} rad of a training pose`)
    }
  })
})
