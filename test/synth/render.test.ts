/**
 * The textured renderer: a textured square on white (coverage, colours,
 * anti-aliased edge), and the held-out view claim of views.ts: the training
 * camera on the moved pose renders the same image as the moved camera on the
 * original pose.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { type Camera, centredIntrinsic, lookAt } from "../../src/synth/camera.ts"
import { createRenderer, renderMesh } from "../../src/synth/render.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { bodyForward64 } from "../../src/body/forward64.ts"
import { createPerson, posePerson } from "../../src/synth/person.ts"
import { trainingMotion } from "../../src/synth/motion.ts"
import { createRng } from "../../src/math/rng.ts"

describe("textured renderer", () => {
  it("draws a textured square over white, with fractional coverage on its edges", () => {
    // A 2x2 texture: left column red, right column blue; a square facing the camera covers x, y in [-h, h] at depth 2.
    const texture = { size: 2, rgb: Float32Array.of(1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1) }
    const uv = { vt: Float64Array.of(0.25, 0.25, 0.75, 0.25, 0.75, 0.75, 0.25, 0.75), ft: Uint32Array.of(0, 1, 2, 0, 2, 3) }
    const faces = Uint32Array.of(0, 1, 2, 0, 2, 3)
    const h = 0.475
    const vertices = Float64Array.of(-h, h, 2, h, h, 2, h, -h, 2, -h, -h, 2)
    const camera: Camera = { width: 32, height: 32, intrinsic: centredIntrinsic(40, 32, 32), extrinsic: lookAt([0, 0, 0], [0, 0, 1], [0, 1, 0]) }
    const frame = renderMesh(createRenderer(32, 32, 4), { faces, uv, texture }, vertices, camera)
    // The square spans 19 pixels (focal 40 x 0.95 m / 2 m) centred on 15.5: from the centre of pixel 6 to that of pixel 25.
    const pixel = (x: number, y: number) => Array.from(frame.image.data.subarray(3 * (32 * y + x), 3 * (32 * y + x) + 3))
    assert.deepEqual(pixel(0, 0), [255, 255, 255])
    assert.equal(frame.mask.data[0], 0)
    assert.equal(frame.mask.data[32 * 15 + 15], 255)
    // The camera looks along +z with world x to the left of the image: u = 0.25 (red) is on the right.
    const left = pixel(8, 15), right = pixel(23, 15)
    assert.ok(left[2]! > 200 && left[0]! < 60, `left ${left}`)
    assert.ok(right[0]! > 200 && right[2]! < 60, `right ${right}`)
    // Column 6 is half covered.
    assert.ok(Math.abs(frame.mask.data[32 * 15 + 6]! - 128) <= 1, `edge coverage ${frame.mask.data[32 * 15 + 6]}`)
    const covered = frame.mask.data.reduce((n, m) => n + m / 255, 0)
    assert.ok(Math.abs(covered - 361) < 1, `covered ${covered} pixels, expected 361`)
  })

  it("posing through the joint-only skeleton and sparse weights matches bodyForward's reference", () => {
    const body = openBody()
    const betas = Float64Array.from({ length: body.shapeCount }, (_, k) => 0.3 * Math.sin(k + 1))
    const person = createPerson(body, betas, 16)
    const motion = trainingMotion(5, createRng(4))
    const pose = motion.poses.subarray(72 * 2, 72 * 3)
    const transl = Float64Array.of(0.1, -0.05, 0.2)
    const reference = bodyForward64({ ...body, parents: Array.from(body.parents) }, betas, pose, transl, 1)
    const posed = posePerson(person, pose, transl)
    let worst = 0
    reference.vertices.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - posed.body[i]!))))
    reference.joints.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - posed.joints[i]!))))
    assert.ok(worst < 1e-9, `differs by ${worst}`)
  })

  it("a held-out view equals the moved camera's view of the unmoved person", () => {
    const synthetic = synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 4, size: 48, testFrames: 2, novelPoseFrames: 1, textureSize: 64, supersample: 1 })
    const [train, test] = synthetic.splits
    const { person, studio } = synthetic
    for (const [k, view] of test!.views!.entries()) {
      const original = posePerson(person, train!.truth.poses.subarray(72 * view.frame, 72 * view.frame + 72), train!.truth.transl.subarray(3 * view.frame, 3 * view.frame + 3))
      const moved = { ...studio.camera, extrinsic: view.extrinsic }
      const direct = renderMesh(createRenderer(48, 48, 1), { faces: person.body.faces, uv: person.body.uv, texture: person.texture }, original.clothed, moved)
      const written = test!.frames[k]!
      let differing = 0
      direct.mask.data.forEach((m, i) => (differing += m !== written.mask.data[i] ? 1 : 0))
      assert.ok(differing <= 3, `view ${k}: ${differing} mask pixels differ`)
      const covered = direct.mask.data.reduce((n, m) => n + (m > 0 ? 1 : 0), 0)
      assert.ok(covered > 100)
    }
  })
})
