/**
 * A run's body model: a user's SMPL file (here a made-up 24-joint model of one small triangle per
 * joint, with 12 shape directions and its UV OBJ) loads as a BodyModel with the first 10 shape
 * directions, and `gavatar train --body --uv` records it in run.json for eval to reload.
 */
import { Effect, Schema } from "effect"
import assert from "node:assert/strict"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { BodyChoiceSchema, firstShapeDirections, loadBody } from "../../src/body/choice.ts"
import { avatarSetup } from "../../src/graphs/avatar/setup.ts"
import { SMPL_PARENTS, SMPL_REST_JOINTS } from "../../src/body/model.ts"
import { openBody } from "../../src/body/openBody.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { writeNpz } from "../../src/io/npz.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { gavatar } from "../cli/capture.ts"
import { withTempDir } from "../io/paths.ts"

const J = 24
const V = 3 * J
const K = 12
const corners = [[-0.03, -0.03], [0.03, -0.03], [0, 0.03]] as const

/** Writes model.npz (SMPL naming) and uv.obj; returns their paths. */
const writeTinySmpl = async (dir: string) => {
  const vertices = SMPL_REST_JOINTS.flatMap(([x, y, z]) => corners.flatMap(([dx, dy]) => [x + dx, y + dy, z]))
  const weights = new Float64Array(V * J)
  const regressor = new Float64Array(J * V)
  for (let v = 0; v < V; v++) {
    weights[v * J + Math.floor(v / 3)] = 1
    regressor[Math.floor(v / 3) * V + v] = 1 / 3
  }
  const file = join(dir, "model.npz")
  await Effect.runPromise(writeNpz(file, {
    v_template: ndarray([V, 3], Float64Array.from(vertices)),
    shapedirs: ndarray([V, 3, K], Float64Array.from({ length: V * 3 * K }, (_, i) => 0.001 * Math.sin(i))),
    posedirs: ndarray([V, 3, 207], new Float64Array(V * 3 * 207)),
    J_regressor: ndarray([J, V], regressor),
    weights: ndarray([V, J], weights),
    kintree_table: ndarray([2, J], BigInt64Array.from([...SMPL_PARENTS.map((p) => BigInt(p < 0 ? 4294967295 : p)), ...SMPL_PARENTS.map((_, j) => BigInt(j))])),
    f: ndarray([J, 3], Uint32Array.from({ length: V }, (_, i) => i))
  }))
  // One UV cell of a 5 x 5 grid per joint's triangle.
  const vt = Array.from({ length: V }, (_, i) => {
    const j = Math.floor(i / 3)
    const [u0, v0] = [(j % 5) / 5, Math.floor(j / 5) / 5]
    const [a, b] = [[0.02, 0.02], [0.18, 0.02], [0.1, 0.18]][i % 3] as [number, number]
    return `vt ${u0 + a} ${v0 + b}`
  })
  const faces = Array.from({ length: J }, (_, j) => `f ${[1, 2, 3].map((k) => `${3 * j + k}/${3 * j + k}`).join(" ")}`)
  const uv = join(dir, "uv.obj")
  writeFileSync(uv, [...Array.from({ length: V }, (_, i) => `v ${vertices.slice(3 * i, 3 * i + 3).join(" ")}`), ...vt, ...faces].join("\n"))
  return { file, uv }
}

describe("body models of a run", () => {
  it("an SMPL file keeps its first 10 shape directions and gives query points", () =>
    withTempDir(async (dir) => {
      const files = await writeTinySmpl(dir)
      const body = await Effect.runPromise(loadBody({ _tag: "Smpl", ...files }))
      assert.ok(body)
      assert.equal(body.vertexCount, V)
      assert.equal(body.shapeCount, 10)
      assert.equal(body.shapeDirs[3 * 10 + 4], 0.001 * Math.sin(3 * K + 4))
      assert.ok(avatarSetup(body, new Float64Array(10), 16, 16).dims.N > 0)
      assert.equal(await Effect.runPromise(loadBody({ _tag: "Open" })), undefined)
    }))

  it("run.json's body choice is tagged; the untagged form of older run folders still reads", () => {
    const decode = Schema.decodeUnknownSync(BodyChoiceSchema)
    assert.deepEqual(decode({ kind: "smpl", file: "/m/SMPL.npz", uv: "/m/uv.obj" }), { _tag: "Smpl", file: "/m/SMPL.npz", uv: "/m/uv.obj" })
    assert.deepEqual(decode({ kind: "open" }), { _tag: "Open" })
    assert.deepEqual(Schema.encodeSync(BodyChoiceSchema)({ _tag: "Open" }), { _tag: "Open" })
    assert.throws(() => decode({ kind: "other" }))
  })

  it("firstShapeDirections leaves a model with few directions alone", () => {
    const body = openBody()
    assert.equal(firstShapeDirections(body, 10), body)
  })

  it("gavatar train --body --uv records the body; eval reloads it; another body is refused", () =>
    withTempDir(async (dir) => {
      const files = await writeTinySmpl(dir)
      const data = join(dir, "data")
      await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 32, testFrames: 1, novelPoseFrames: 1, textureSize: 64 })))
      const preset = join(dir, "tiny.json")
      writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize: 16, featureSize: 32, channels: 4, hidden: 8 }, epochs: { stage1: 1, stage2: 1 }, poseFrom: 0 }))
      const run = join(dir, "run")
      const trained = await gavatar("train", "--data", data, "--out", run, "--preset", preset, "--stage", "1", "--body", files.file, "--uv", files.uv)
      assert.equal(trained.code, 0, trained.err.join("\n"))
      assert.match(trained.out[0] ?? "", new RegExp(`SMPL ${files.file} \\(UV ${files.uv}\\)`))
      assert.deepEqual(JSON.parse(readFileSync(join(run, "run.json"), "utf8")).body, { _tag: "Smpl", ...files })
      const evaluated = await gavatar("eval", "--run", run, "--split", join(data, "test"), "--out", join(dir, "eval"))
      assert.equal(evaluated.code, 0, evaluated.err.join("\n"))
      assert.deepEqual(evaluated.out.slice(0, 1), ["LPIPS off: no weights given (--lpips FILE)"])
      assert.match(evaluated.out[1] ?? "", /^stage 1 \(step 2\)/)
      const other = await gavatar("train", "--data", data, "--out", run, "--body", "open")
      assert.equal(other.code, 1)
      assert.match(other.err[0] ?? "", /this run was started with SMPL .*, not the open body: use another --out/)
    }))
})
