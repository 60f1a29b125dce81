import assert from "node:assert/strict"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { zipSync } from "fflate"
import { type NdArray, ndarray } from "../../../src/io/ndarray.ts"
import { encodeNpy } from "../../../src/io/npy.ts"
import { encodeNpz } from "../../../src/io/npz.ts"
import { keepFirstJoints } from "../../../src/body/smpl/joints.ts"
import { readSmpl } from "../../../src/body/smpl/load.ts"
import { readUvLayout } from "../../../src/body/smpl/uv.ts"
import { type PyValue, pickleBytes } from "../../io/pickle-writer.ts"
import { npyWithHeader } from "../../io/npy-header.ts"
import { withTempDir } from "../../io/paths.ts"
import { J, K, P, V, smplArrays, toCsc } from "./fixtures.ts"

const failure = <A, E>(e: Effect.Effect<A, E>): Promise<E> => Effect.runPromise(Effect.flip(e))

/** The original SMPL .pkl layout: chumpy v_template and shapedirs, CSC J_regressor, the rest numpy arrays. */
const smplPickle = (arrays: Record<string, NdArray>): Uint8Array => {
  const entries: Array<[string, PyValue]> = Object.entries(arrays).map(([key, a]) => {
    if (key === "v_template" || key === "shapedirs") return [key, { chumpy: a }]
    if (key === "J_regressor") return [key, { csc: toCsc(a.data as Float64Array, J, V) }]
    return [key, { ndarray: a }]
  })
  return pickleBytes(new Map([...entries, ["bs_type", "lrotmin"], ["bs_style", "lbs"]]))
}

describe("SMPL loading", () => {
  it("reads the same model from .npz and from the original .pkl layout", () => withTempDir(async (dir) => {
    const arrays = smplArrays()
    writeFileSync(join(dir, "m.npz"), encodeNpz(arrays))
    writeFileSync(join(dir, "m.pkl"), smplPickle(arrays))
    const fromNpz = await Effect.runPromise(readSmpl(join(dir, "m.npz")))
    const fromPkl = await Effect.runPromise(readSmpl(join(dir, "m.pkl")))
    assert.deepEqual({ ...fromNpz, file: "" }, { ...fromPkl, file: "" })
    assert.equal(fromNpz.vertexCount, V)
    assert.equal(fromNpz.jointCount, J)
    assert.equal(fromNpz.shapeCount, K)
    assert.deepEqual(Array.from(fromNpz.parents), [-1, 0, 1])
    assert.deepEqual(fromNpz.jRegressor, arrays.J_regressor!.data)
    assert.equal(fromNpz.poseDirs.length, V * 3 * P)
  }))

  const damaged: ReadonlyArray<[string, (a: Record<string, NdArray>) => void, RegExp]> = [
    ["a missing key", (a) => { delete a.weights }, /\[weights\]: no array "weights"/],
    ["weights of the wrong size", (a) => { a.weights = ndarray([V, J + 1], new Float64Array(V * (J + 1))) }, /\[kintree_table\]: expected shape \[2, 4\]/],
    ["posedirs for another joint count", (a) => { a.posedirs = ndarray([V, 3, 9], new Float64Array(V * 27)) }, /\[posedirs\]: expected shape \[6, 3, 18\]/],
    ["NaN in v_template", (a) => { (a.v_template!.data as Float64Array)[4] = NaN }, /\[v_template\]: contains NaN/],
    ["a parent after its child", (a) => { (a.kintree_table!.data as BigInt64Array)[1] = 2n }, /\[kintree_table\]: joint 1 has parent 2/],
    ["a face index out of range", (a) => { (a.f!.data as Uint32Array)[5] = 99 }, /\[f\]: vertex index 99 out of range/]
  ]
  for (const [what, damage, message] of damaged) {
    it(`names the file and key for ${what}`, () => withTempDir(async (dir) => {
      const arrays = smplArrays()
      damage(arrays)
      const file = join(dir, "bad.npz")
      writeFileSync(file, encodeNpz(arrays))
      const error = await failure(readSmpl(file))
      assert.equal(error.file, file)
      assert.match(error.message, message)
    }))
  }

  it("explains a chumpy expression it cannot evaluate, and an unknown extension", () => withTempDir(async (dir) => {
    const file = join(dir, "expr.pkl")
    writeFileSync(file, pickleBytes(new Map<string, PyValue>([["v_template", { object: { module: "chumpy.ch_ops", name: "add", state: new Map() } }]])))
    assert.match((await failure(readSmpl(file))).message, /\[v_template\]: expected an array, got a chumpy expression \(chumpy\.ch_ops\.add\)/)
    assert.match((await failure(readSmpl(join(dir, "m.fbx")))).message, /expected a \.npz or \.pkl/)
  }))
})

describe("SMPL joints and UV", () => {
  it("reads an SMPL-X style npz beside an object array it does not need, then keeps its body joints", () => withTempDir(async (dir) => {
    const file = join(dir, "SMPLX_LIKE.npz")
    const objectArray = npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (), }", Uint8Array.from([0x80, 2, 0x4e, 0x2e]))
    const entries = Object.fromEntries(Object.entries(smplArrays()).map(([k, a]) => [`${k}.npy`, encodeNpy(a)]))
    writeFileSync(file, zipSync({ ...entries, "joint2num.npy": objectArray, "lmk_faces_idx.npy": encodeNpy(ndarray([1], Int32Array.from([0]))) }))
    const model = await Effect.runPromise(readSmpl(file))
    assert.equal(model.jointCount, J)
    const body = await Effect.runPromise(keepFirstJoints(model, 2))
    assert.equal(body.jointCount, 2)
  }))

  it("keeps the first joints, moving dropped joints' weights to their kept ancestor", () => withTempDir(async (dir) => {
    writeFileSync(join(dir, "m.npz"), encodeNpz(smplArrays()))
    const full = await Effect.runPromise(readSmpl(join(dir, "m.npz")))
    const body = await Effect.runPromise(keepFirstJoints(full, 2))
    assert.equal(body.jointCount, 2)
    for (let v = 0; v < V; v++) {
      assert.equal(body.weights[v * 2], full.weights[v * 3])
      assert.equal(body.weights[v * 2 + 1], (full.weights[v * 3 + 1] as number) + (full.weights[v * 3 + 2] as number))
      for (let c = 0; c < 3; c++) {
        assert.deepEqual(body.poseDirs.subarray((v * 3 + c) * 9, (v * 3 + c + 1) * 9), full.poseDirs.subarray((v * 3 + c) * 18, (v * 3 + c) * 18 + 9))
      }
    }
    assert.deepEqual(Array.from(body.parents), [-1, 0])
    assert.equal(body.jRegressor.length, 2 * V)
    assert.match((await failure(keepFirstJoints(full, 4))).message, /cannot keep 4 joints of a model with 3/)
  }))

  it("attaches vt/ft from an OBJ whose faces follow the model's, and rejects one that does not", () => withTempDir(async (dir) => {
    writeFileSync(join(dir, "m.npz"), encodeNpz(smplArrays()))
    const model = await Effect.runPromise(readSmpl(join(dir, "m.npz")))
    const faces = [[0, 1, 2], [1, 3, 2], [2, 3, 4], [3, 5, 4]]
    const obj = (order: ReadonlyArray<ReadonlyArray<number>>) => [
      ...Array.from({ length: V }, () => "v 0 0 0"), "vt 0 0", "vt 1 0", "vt 0 1",
      ...order.map((f) => `f ${f.map((v, k) => `${v + 1}/${k + 1}`).join(" ")}`)
    ].join("\n")
    writeFileSync(join(dir, "uv.obj"), obj(faces))
    const withUv = await Effect.runPromise(readUvLayout(model, join(dir, "uv.obj")))
    assert.deepEqual(Array.from(withUv.uv?.vt ?? []), [0, 0, 1, 0, 0, 1])
    assert.deepEqual(Array.from(withUv.uv?.ft ?? []), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
    writeFileSync(join(dir, "swapped.obj"), obj([faces[1]!, faces[0]!, faces[2]!, faces[3]!]))
    assert.match((await failure(readUvLayout(model, join(dir, "swapped.obj")))).message, /swapped\.obj: face 0 differs/)
  }))
})
