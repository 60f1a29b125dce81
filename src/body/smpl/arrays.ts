/**
 * Turns a body model's named arrays (SMPL / SMPL-X naming: v_template, shapedirs,
 * posedirs, J_regressor, weights, kintree_table, f) into an SmplFile, checking every
 * shape against the others. A missing or incompatible array fails with IoError
 * naming the file and key.
 */
import { Effect } from "effect"
import { IoError } from "../../io/errors.ts"
import { type NdArray, toFloat64 } from "../../io/ndarray.ts"
import type { SmplFile } from "./types.ts"

/** Reads one named array of the model file; absent keys fail with IoError naming file and key. */
export type ArraySource = (key: string) => Effect.Effect<NdArray, IoError>

const bad = (file: string, key: string, reason: string): IoError => new IoError({ file, key, reason })

const shapeText = (shape: ReadonlyArray<number>): string => `[${shape.join(", ")}]`

/** Checks an array's shape; null entries accept any size and are returned as read. */
const withShape = (file: string, key: string, a: NdArray, expected: ReadonlyArray<number | null>, meaning: string): Effect.Effect<ReadonlyArray<number>, IoError> =>
  a.shape.length === expected.length && expected.every((d, i) => d === null || d === a.shape[i])
    ? Effect.succeed(a.shape)
    : Effect.fail(bad(file, key, `expected shape ${shapeText(expected.map((d) => d ?? "*") as Array<number>)} (${meaning}), got ${shapeText(a.shape)}`))

const allFinite = (file: string, key: string, data: Float64Array): Effect.Effect<Float64Array, IoError> =>
  data.every(Number.isFinite) ? Effect.succeed(data) : Effect.fail(bad(file, key, "contains NaN or infinite values"))

const isInteger = (a: NdArray): boolean => a.dtype !== "f8" && a.dtype !== "f4"

/** kintree_table row 0 as parents; the root's parent (2^32 - 1 or -1) becomes -1. */
const parentsOf = (file: string, kintree: NdArray, joints: number): Effect.Effect<Int32Array, IoError> => {
  const parents = new Int32Array(joints)
  for (let j = 0; j < joints; j++) {
    const p = Number(kintree.data[j])
    parents[j] = j === 0 ? -1 : p
    if (j === 0 && p !== -1 && p !== 4294967295) return Effect.fail(bad(file, "kintree_table", `joint 0 must be the root (parent 2^32-1 or -1), has parent ${p}`))
    if (j > 0 && !(Number.isInteger(p) && p >= 0 && p < j)) return Effect.fail(bad(file, "kintree_table", `joint ${j} has parent ${p}; parents must come before their children`))
  }
  return Effect.succeed(parents)
}

const facesOf = (file: string, f: NdArray, vertices: number): Effect.Effect<Uint32Array, IoError> => {
  if (!isInteger(f)) return Effect.fail(bad(file, "f", `faces must be integers, got dtype ${f.dtype}`))
  const faces = Uint32Array.from(f.data as ArrayLike<number | bigint>, Number)
  const outside = faces.findIndex((i, k) => i >= vertices || Number(f.data[k]) < 0)
  return outside < 0 ? Effect.succeed(faces) : Effect.fail(bad(file, "f", `vertex index ${Number(f.data[outside])} out of range (${vertices} vertices)`))
}

export const smplFromArrays = (file: string, get: ArraySource): Effect.Effect<SmplFile, IoError> =>
  Effect.gen(function* () {
    const template = yield* get("v_template")
    const [V] = (yield* withShape(file, "v_template", template, [null, 3], "vertices x 3")) as [number]
    const weights = yield* get("weights")
    const [, J] = (yield* withShape(file, "weights", weights, [V, null], "vertices x joints")) as [number, number]
    const kintree = yield* get("kintree_table")
    yield* withShape(file, "kintree_table", kintree, [2, J], "2 x joints")
    const regressor = yield* get("J_regressor")
    yield* withShape(file, "J_regressor", regressor, [J, V], "joints x vertices")
    const shapedirs = yield* get("shapedirs")
    const [, , K] = (yield* withShape(file, "shapedirs", shapedirs, [V, 3, null], "vertices x 3 x shape coefficients")) as [number, number, number]
    const posedirs = yield* get("posedirs")
    yield* withShape(file, "posedirs", posedirs, [V, 3, 9 * (J - 1)], "vertices x 3 x 9 (joints - 1)")
    const f = yield* get("f")
    yield* withShape(file, "f", f, [null, 3], "faces x 3")
    return {
      file,
      vertexCount: V,
      jointCount: J,
      shapeCount: K,
      vTemplate: yield* allFinite(file, "v_template", toFloat64(template)),
      faces: yield* facesOf(file, f, V),
      weights: yield* allFinite(file, "weights", toFloat64(weights)),
      shapeDirs: yield* allFinite(file, "shapedirs", toFloat64(shapedirs)),
      poseDirs: yield* allFinite(file, "posedirs", toFloat64(posedirs)),
      jRegressor: yield* allFinite(file, "J_regressor", toFloat64(regressor)),
      parents: yield* parentsOf(file, kintree, J)
    }
  })
