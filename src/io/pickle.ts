/**
 * Python pickles read without Python: see pickle/values.ts for how values map to JS
 * and pickle/handlers.ts for the classes that are reconstructed (numpy arrays,
 * scipy sparse matrices, chumpy Ch, OrderedDict, set).
 */
import { Effect } from "effect"
import { WorkBudget } from "./budget.ts"
import { attempt, type IoError, readBytes } from "./errors.ts"
import { type ClassHandler, standardHandlers } from "./pickle/handlers.ts"
import { unpickle } from "./pickle/machine.ts"

export { PyGlobal, PyObject, dictGet, describeValue } from "./pickle/values.ts"
export { isNdArray, type ClassHandler } from "./pickle/handlers.ts"

export interface ParsePickleOptions {
  /** Extra or overriding handlers, keyed by `module.name`. */
  readonly handlers?: ReadonlyMap<string, ClassHandler>
  readonly persistentLoad?: (pid: unknown) => unknown
}

export const parsePickle = (bytes: Uint8Array, file: string, options: ParsePickleOptions = {}): Effect.Effect<unknown, IoError> =>
  attempt(file, undefined, () => {
    const budget = WorkBudget.forBytes(file, bytes.length)
    const handlers = standardHandlers(file, budget)
    options.handlers?.forEach((h, name) => handlers.set(name, h))
    return unpickle(bytes, file, { handlers, budget, ...(options.persistentLoad ? { persistentLoad: options.persistentLoad } : {}) })
  })

export const readPickle = (file: string, options: ParsePickleOptions = {}): Effect.Effect<unknown, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => parsePickle(bytes, file, options))
