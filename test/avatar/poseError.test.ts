import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { jointErrorsDegrees, meanBoneDirectionErrorDegrees, meanRotationErrorDegrees, meanUnseenRotationDegrees, twistAngle, meanTranslationErrorAlongCm, meanTranslationErrorCm, meanVertexErrorCm, PoseArraysMismatch } from "../../src/avatar/poseError.ts"
import { composeAxisAngle } from "../../src/math/rotation.ts"

const deg = Math.PI / 180
const close = (actual: number, expected: number, tolerance = 1e-6) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`)

/** Two vertices bound to the root, one at the origin and one 1 m along x; two joints placed by `jRegressor` [2, 2]. */
const twoJointBody = (jRegressor: Float64Array) => ({
  vTemplate: Float64Array.of(0, 0, 0, 1, 0, 0),
  shapeDirs: new Float64Array(2 * 3),
  jRegressor,
  weights: Float64Array.of(1, 0, 1, 0),
  parents: [-1, 0]
})

describe("pose error", () => {
  it("a rotation 90 degrees about an axis is 90 degrees from the identity", () => {
    close(meanRotationErrorDegrees([90 * deg, 0, 0], [0, 0, 0]), 90)
    close(meanRotationErrorDegrees([0, 0, 0], [0, -90 * deg, 0]), 90)
  })

  it("measures the relative rotation, not the difference of axis-angle vectors", () => {
    const truth = [0.3, -1.1, 0.7]
    const estimated = composeAxisAngle([0, 0, 20 * deg], truth)
    close(meanRotationErrorDegrees(estimated, truth), 20)
    // 30 degrees about x against 30 degrees about y: the axis-angle vectors differ by 42.4 degrees in length,
    // the rotations by acos((trace(Rx^T Ry) - 1) / 2) = acos((cos 30 + cos 30 + cos^2 30 - 1) / 2) = 41.4 degrees.
    const c = Math.cos(30 * deg)
    close(meanRotationErrorDegrees([30 * deg, 0, 0], [0, 30 * deg, 0]), Math.acos((2 * c + c * c - 1) / 2) / deg)
  })

  it("axis-angle vectors of the same rotation are 0 degrees apart", () => {
    const axis = [0.6, 0, 0.8]
    const angle = 40 * deg
    close(meanRotationErrorDegrees(axis.map((a) => a * (angle + 2 * Math.PI)), axis.map((a) => a * angle)), 0, 1e-4)
  })

  it("averages per joint over frames and over all joints", () => {
    // two frames of two joints: joint 0 is off by 10 then 30 degrees, joint 1 by 0 then 60.
    const truth = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    const estimated = [10 * deg, 0, 0, 0, 0, 0, 0, 30 * deg, 0, 0, 0, 60 * deg]
    const perJoint = jointErrorsDegrees(estimated, truth, 2)
    close(perJoint[0] as number, 20)
    close(perJoint[1] as number, 30)
    close(meanRotationErrorDegrees(estimated, truth), 25)
  })

  it("translation error is the mean distance in centimetres", () => {
    close(meanTranslationErrorCm([0.03, 0.04, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1.1]), (5 + 10) / 2)
  })

  it("translation error along a direction is the mean absolute component", () => {
    close(meanTranslationErrorAlongCm([0.03, 0.04, 0, 0, 0, -0.1], [0, 0, 0, 0, 0, 0], [0, 0, 2]), (0 + 10) / 2)
    close(meanTranslationErrorAlongCm([0.03, 0.04, 0], [0, 0, 0], [3, 4, 0]), 5)
  })

  it("surface error: a root turned 90 degrees moves a vertex 1 m from the root joint by sqrt(2) m", () => {
    // two joints, both at the origin (the regressor reads vertex 0).
    const body = twoJointBody(Float64Array.of(1, 0, 0, 0))
    const still = { poses: [0, 0, 0, 0, 0, 0], transl: [0, 0, 0] }
    const turned = { poses: [0, 0, 90 * deg, 0, 0, 0], transl: [0, 0, 0] }
    const shifted = { poses: [0, 0, 0, 0.5, 0, 0], transl: [0.03, 0.04, 0] }
    close(meanVertexErrorCm(body, Float64Array.of(0), still, still), 0)
    close(meanVertexErrorCm(body, Float64Array.of(0), turned, still), (0 + 100 * Math.SQRT2) / 2)
    // the child joint moves no vertex; the translation moves both by 5 cm.
    close(meanVertexErrorCm(body, Float64Array.of(0), shifted, still), 5)
  })

  it("bone directions: a swing of the root turns the bone, a twist about the bone does not", () => {
    // a root at the origin, a child joint 1 m along x (the regressor reads vertices 0 and 1).
    const body = twoJointBody(Float64Array.of(1, 0, 0, 1))
    const betas = Float64Array.of(0)
    const still = { poses: [0, 0, 0, 0, 0, 0], transl: [0, 0, 0] }
    const swung = { poses: [0, 0, 30 * deg, 0, 0, 0], transl: [0.1, 0.2, 0.3] }
    const twisted = { poses: [40 * deg, 0, 0, 0, 0, 0], transl: [0, 0, 0] }
    close(meanBoneDirectionErrorDegrees(body, betas, swung, still), 30, 1e-9)
    close(meanBoneDirectionErrorDegrees(body, betas, twisted, still), 0, 1e-9)
    close(meanRotationErrorDegrees(twisted.poses, still.poses), 20, 1e-9)
    assert.throws(() => meanBoneDirectionErrorDegrees({ ...body, parents: [-1] }, betas, { poses: [0, 0, 0], transl: [0, 0, 0] }, { poses: [0, 0, 0], transl: [0, 0, 0] }), PoseArraysMismatch)
  })

  it("unseen rotation: the twist about a joint's one bone and all of a leaf joint's rotation, not a swing", () => {
    // root at the origin with one child 1 m along x: the root's twist is about x; the child is a leaf.
    const body = twoJointBody(Float64Array.of(1, 0, 0, 1))
    const betas = Float64Array.of(0)
    const still = { poses: [0, 0, 0, 0, 0, 0], transl: [0, 0, 0] }
    close(meanUnseenRotationDegrees(body, betas, { poses: [40 * deg, 0, 0, 0, 0, 0], transl: [0, 0, 0] }, still), 20, 1e-9)
    close(meanUnseenRotationDegrees(body, betas, { poses: [0, 30 * deg, 0, 0, 0, 0], transl: [0, 0, 0] }, still), 0, 1e-9)
    close(meanUnseenRotationDegrees(body, betas, { poses: [0, 0, 0, 0, 10 * deg, 0], transl: [0, 0, 0] }, still), 5, 1e-9)
    // a swing of 30 deg about z after a twist of 40 deg about x: the twist factor is 40 deg.
    const swingAfterTwist = composeAxisAngle([0, 0, 30 * deg], [40 * deg, 0, 0])
    close((twistAngle(swingAfterTwist, [1, 0, 0]) * 180) / Math.PI, 40, 1e-9)
    close(twistAngle([0, 0, 0], [1, 0, 0]), 0)
  })

  it("refuses arrays of different lengths or not made of triples", () => {
    assert.throws(() => meanRotationErrorDegrees([0, 0, 0], [0, 0, 0, 0, 0, 0]), PoseArraysMismatch)
    assert.throws(() => meanTranslationErrorCm([0, 0], [0, 0]), PoseArraysMismatch)
    assert.throws(() => jointErrorsDegrees([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], 4), PoseArraysMismatch)
    assert.throws(() => meanTranslationErrorAlongCm([0, 0, 0], [0, 0, 0], [0, 0, 0]), PoseArraysMismatch)
  })
})
