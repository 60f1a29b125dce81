/**
 * Reading body model files: .npz (smplx's naming, e.g. SMPL_NEUTRAL.npz,
 * SMPLX_NEUTRAL.npz) and the original SMPL .pkl (a Python 2 pickle holding numpy
 * arrays, chumpy Ch objects and a scipy CSC J_regressor).
 */
import { Effect } from "effect"
import { IoError } from "../../io/errors.ts"
import type { NdArray } from "../../io/ndarray.ts"
import { readNpz } from "../../io/npz.ts"
import { PyObject, describeValue, isNdArray, readPickle } from "../../io/pickle.ts"
import { smplFromArrays } from "./arrays.ts"
import type { SmplFile } from "./types.ts"

export const readSmplNpz = (file: string): Effect.Effect<SmplFile, IoError> =>
  Effect.flatMap(readNpz(file), (npz) => smplFromArrays(file, npz.get))

const pickledArray = (file: string, dict: Map<unknown, unknown>, key: string): Effect.Effect<NdArray, IoError> => {
  const value = dict.get(key)
  if (isNdArray(value)) return Effect.succeed(value)
  if (value === undefined) return Effect.fail(new IoError({ file, key, reason: `no entry "${key}" in the pickled dict` }))
  const what = value instanceof PyObject && value.cls.module.startsWith("chumpy")
    ? `a chumpy expression (${value.cls.qualifiedName}) that cannot be evaluated without chumpy`
    : describeValue(value)
  return Effect.fail(new IoError({ file, key, reason: `expected an array, got ${what}` }))
}

export const readSmplPkl = (file: string): Effect.Effect<SmplFile, IoError> =>
  Effect.flatMap(readPickle(file), (value) =>
    value instanceof Map
      ? smplFromArrays(file, (key) => pickledArray(file, value, key))
      : Effect.fail(new IoError({ file, reason: `expected a pickled dict of arrays, got ${describeValue(value)}` })))

/** Reads a body model file by its extension (.npz or .pkl). */
export const readSmpl = (file: string): Effect.Effect<SmplFile, IoError> =>
  file.endsWith(".npz") ? readSmplNpz(file)
    : file.endsWith(".pkl") ? readSmplPkl(file)
    : Effect.fail(new IoError({ file, reason: "unknown body model format: expected a .npz or .pkl file" }))
