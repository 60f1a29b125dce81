import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { SMPL_PARENTS } from "../../../src/body/model.ts"
import { openBody } from "../../../src/body/openBody.ts"
import { toBodyModel } from "../../../src/body/smpl/bodyModel.ts"
import type { SmplFile } from "../../../src/body/smpl/types.ts"

/** The open body dressed as an SMPL file would arrive: OBJ-style UVs (v up), 24 joints. */
const asSmplFile = (): SmplFile => {
  const body = openBody()
  return {
    file: "open-body.npz",
    vertexCount: body.vertexCount,
    jointCount: 24,
    shapeCount: body.shapeCount,
    vTemplate: body.vTemplate,
    faces: body.faces,
    weights: body.weights,
    shapeDirs: body.shapeDirs,
    poseDirs: new Float64Array(body.vertexCount * 3 * 207),
    jRegressor: body.jRegressor,
    parents: Int32Array.from(SMPL_PARENTS),
    uv: { vt: Float32Array.from(body.uv.vt, (v, i) => (i % 2 === 1 ? 1 - v : v)), ft: body.uv.ft }
  }
}

describe("SMPL file to BodyModel", () => {
  it("keeps the arrays and turns OBJ texture coordinates (v up) into the body's (v down)", () => {
    const body = openBody()
    const model = Effect.runSync(toBodyModel(asSmplFile()))
    assert.equal(model.vTemplate, body.vTemplate)
    assert.deepEqual(Array.from(model.parents), SMPL_PARENTS)
    const worst = Math.max(...Array.from(model.uv.vt, (v, i) => Math.abs(v - (body.uv.vt[i] as number))))
    assert.ok(worst < 1e-6, `uv differs by ${worst}`)
  })

  it("refuses a file without SMPL's 24-joint tree or without a UV layout, naming the key", () => {
    const base = asSmplFile()
    const fewer = Effect.runSync(Effect.either(toBodyModel({ ...base, jointCount: 22 })))
    assert.ok(Either.isLeft(fewer) && fewer.left.key === "kintree_table")
    const parents = Int32Array.from(SMPL_PARENTS)
    parents[5] = 1
    const wrongTree = Effect.runSync(Effect.either(toBodyModel({ ...base, parents })))
    assert.ok(Either.isLeft(wrongTree))
    assert.match(wrongTree.left.reason, /joint 5's parent is 1, SMPL's is 2/)
    const { uv: _uv, ...noUv } = base
    const missingUv = Effect.runSync(Effect.either(toBodyModel(noUv)))
    assert.ok(Either.isLeft(missingUv) && missingUv.left.key === "uv")
  })
})
