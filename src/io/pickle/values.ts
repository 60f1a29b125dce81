/**
 * How Python values read from a pickle look in JS:
 * None -> null, bool -> boolean, int -> number (bigint beyond 2^53), float -> number,
 * str -> string (Python 2 byte strings decode as latin1, one char per byte, as
 * Python 3's `encoding="latin1"` does), bytes -> Uint8Array, list and tuple -> Array,
 * dict and OrderedDict -> Map, set and frozenset -> Set, numpy arrays and torch
 * tensors -> NdArray. A class or function with no handler is a PyGlobal; calling or
 * instantiating it gives an inspectable PyObject that keeps its arguments and state.
 */

/** A reference to a Python class or function, `module.name`. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`
  }
}

/** An instance of a class that has no handler: what was passed to construct it and what BUILD set. */
export class PyObject {
  /** Items appended (list subclasses) or set (dict subclasses) after construction. */
  readonly listItems: Array<unknown> = []
  readonly dictItems = new Map<unknown, unknown>()
  state: unknown = undefined
  constructor(readonly cls: PyGlobal, readonly args: ReadonlyArray<unknown>, readonly kwargs?: ReadonlyMap<unknown, unknown>) {}
}

/** The value of a dict key when the dict holds string keys (as Python dicts from pickles usually do). */
export const dictGet = (dict: unknown, key: string): unknown => (dict instanceof Map ? dict.get(key) : undefined)

/** A short description of a pickled value, for error messages. */
export const describeValue = (value: unknown): string => {
  if (value === null) return "None"
  if (value instanceof PyObject) return `an instance of ${value.cls.qualifiedName}`
  if (value instanceof PyGlobal) return `the global ${value.qualifiedName}`
  if (value instanceof Map) return "a dict"
  if (Array.isArray(value)) return `a list/tuple of ${value.length}`
  if (value instanceof Uint8Array) return `bytes (${value.length})`
  if (typeof value === "object" && value !== null && "dtype" in value && "shape" in value) {
    const a = value as { dtype: string; shape: ReadonlyArray<number> }
    return `an array ${a.dtype} [${a.shape.join(", ")}]`
  }
  return typeof value
}
