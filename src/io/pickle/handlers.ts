/**
 * What the pickle machine does with the Python classes and functions it knows:
 * containers (OrderedDict, set), copyreg helpers, numpy arrays, dtypes and scalars,
 * scipy.sparse CSC/CSR matrices (made dense) and chumpy Ch objects (their array).
 * Anything else stays a PyObject placeholder.
 */
import type { WorkBudget } from "../budget.ts"
import { fail } from "../errors.ts"
import { latin1Encode } from "../latin1.ts"
import { type Dtype, type NdArray, fortranToC, isDtype, itemSize, numel } from "../ndarray.ts"
import { decodeElements } from "../npy.ts"
import { PyGlobal, PyObject, describeValue, dictGet } from "./values.ts"

export interface ClassHandler {
  /** `f(*args)` (REDUCE). */
  readonly call?: (args: ReadonlyArray<unknown>, self: PyGlobal) => unknown
  /** `cls.__new__(cls, *args)` (NEWOBJ, INST, OBJ). */
  readonly construct?: (args: ReadonlyArray<unknown>, self: PyGlobal) => unknown
  /** `obj.__setstate__(state)` (BUILD); the result replaces obj in the stack and memo. */
  readonly build?: (obj: PyObject, state: unknown) => unknown
}

/** Keyed by `module.name`. */
export type ClassHandlers = ReadonlyMap<string, ClassHandler>

/** Handlers that need the file name for their error messages; what they copy or allocate is paid from `budget`. */
export const standardHandlers = (file: string, budget: WorkBudget): Map<string, ClassHandler> => {
  const handlers = new Map<string, ClassHandler>()
  const add = (names: ReadonlyArray<string>, handler: ClassHandler): void => names.forEach((n) => handlers.set(n, handler))
  const items = (v: unknown, doing: string): ReadonlyArray<unknown> => {
    const list = Array.isArray(v) ? v : []
    budget.spend(list.length, doing)
    return list
  }

  const newDict: ClassHandler = { call: (args) => new Map(pairsOf(items(args[0], "dict()"))), construct: () => new Map() }
  add(["collections.OrderedDict", "builtins.dict", "__builtin__.dict"], newDict)
  const newSet: ClassHandler = { call: (args) => new Set(items(args[0], "set()")), construct: () => new Set() }
  add(["builtins.set", "__builtin__.set", "builtins.frozenset", "__builtin__.frozenset"], newSet)
  add(["builtins.list", "__builtin__.list"], { call: (args) => [...items(args[0], "list()")], construct: () => [] })
  add(["copy_reg._reconstructor", "copyreg._reconstructor"], {
    call: ([cls]) => (cls instanceof PyGlobal ? constructWith(handlers, cls, []) : fail(file, `copyreg._reconstructor of ${describeValue(cls)}`))
  })
  add(["copy_reg.__newobj__", "copyreg.__newobj__"], {
    call: ([cls, ...args]) => (cls instanceof PyGlobal ? constructWith(handlers, cls, args) : fail(file, `copyreg.__newobj__ of ${describeValue(cls)}`))
  })

  add(["numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"], {
    call: (args) => new PyObject(new PyGlobal("numpy", "ndarray"), args)
  })
  add(["numpy.ndarray"], { build: (_obj, state) => ndarrayFromState(state, file, budget) })
  add(["numpy.dtype"], {
    call: ([code]) => new PyObject(new PyGlobal("numpy", "dtype"), [code]),
    build: (obj, state) => numpyDtype(String(obj.args[0]), Array.isArray(state) ? state[1] : undefined)
  })
  add(["numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer"], {
    call: ([raw, dtype, shape, order]) => ndarrayFromState([shape, dtype, order === "F", raw], file, budget)
  })
  add(["_codecs.encode"], { call: ([text]) => rawBytes(text, file, "_codecs.encode") })
  add(["numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar"], { call: ([dtype, raw]) => numpyScalar(dtype, raw, file) })

  for (const kind of ["csc", "csr"] as const) {
    add([`scipy.sparse.${kind}.${kind}_matrix`, `scipy.sparse._${kind}.${kind}_matrix`, `scipy.sparse._${kind}.${kind}_array`], {
      build: (_obj, state) => denseFromCompressed(kind, state, file, budget)
    })
  }
  add(["chumpy.ch.Ch"], {
    build: (obj, state) => {
      const x = dictGet(state, "x")
      if (isNdArray(x)) return x
      obj.state = state
      return obj
    }
  })
  return handlers
}

const constructWith = (handlers: ClassHandlers, cls: PyGlobal, args: ReadonlyArray<unknown>): unknown => {
  const handler = handlers.get(cls.qualifiedName)
  return handler?.construct ? handler.construct(args, cls) : new PyObject(cls, args)
}

const pairsOf = (items: unknown): Array<[unknown, unknown]> =>
  Array.isArray(items) ? items.filter(Array.isArray).map((p) => [p[0], p[1]] as [unknown, unknown]) : []

export const isNdArray = (v: unknown): v is NdArray =>
  typeof v === "object" && v !== null && "dtype" in v && "shape" in v && "data" in v && ArrayBuffer.isView((v as NdArray).data)

/** A numpy dtype as it appears in a pickle: its code ("f8") and byte order ("<", ">", "|"). */
export interface NumpyDtype {
  readonly code: string
  readonly order: string
}

const numpyDtype = (code: string, order: unknown): NumpyDtype => ({ code, order: typeof order === "string" ? order : "<" })

const isNumpyDtype = (v: unknown): v is NumpyDtype => typeof v === "object" && v !== null && "code" in v && "order" in v

/** Raw element bytes: Python 3 bytes, or a latin1-decoded str (Python 2 str, or `_codecs.encode(s, "latin1")`). */
const rawBytes = (raw: unknown, file: string, what: string): Uint8Array => {
  if (raw instanceof Uint8Array) return raw
  if (typeof raw === "string") return latin1Encode(raw)
  return fail(file, `${what}: expected raw bytes, got ${describeValue(raw)}`)
}

const checkedDtype = (dtype: unknown, file: string): { dtype: Dtype; littleEndian: boolean } => {
  if (!isNumpyDtype(dtype)) fail(file, `numpy array with an unreadable dtype (${describeValue(dtype)})`)
  const { code, order } = dtype as NumpyDtype
  if (code === "O8" || code === "O4" || code === "O") fail(file, "object arrays (dtype 'O', pickled Python objects) are not supported")
  if (!isDtype(code)) fail(file, `unsupported numpy dtype '${code}'`)
  return { dtype: code as Dtype, littleEndian: order !== ">" }
}

/** ndarray.__setstate__((version, shape, dtype, is_fortran, rawdata)); version is absent in old pickles. */
const ndarrayFromState = (state: unknown, file: string, budget: WorkBudget): NdArray => {
  if (!Array.isArray(state) || (state.length !== 5 && state.length !== 4)) fail(file, `numpy array with an unexpected state (${describeValue(state)})`)
  const [shape, dtype, isFortran, raw] = (state as Array<unknown>).slice(-4)
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(file, `numpy array with a bad shape ${describeValue(shape)}`)
  const dims = shape as Array<number>
  const { dtype: code, littleEndian } = checkedDtype(dtype, file)
  const bytes = rawBytes(raw, file, "numpy array data")
  const count = numel(dims)
  if (count * itemSize[code] !== bytes.length) fail(file, `numpy array of shape [${dims.join(", ")}] ${code} needs ${count * itemSize[code]} bytes, the pickle holds ${bytes.length}`)
  budget.spend(count, "numpy array")
  const data = decodeElements(bytes, 0, code, count, littleEndian)
  return { dtype: code, shape: dims, data: isFortran === true && dims.length > 1 ? fortranToC(data, dims) : data }
}

const numpyScalar = (dtype: unknown, raw: unknown, file: string): number | bigint => {
  const { dtype: code, littleEndian } = checkedDtype(dtype, file)
  const value = decodeElements(rawBytes(raw, file, "numpy scalar"), 0, code, 1, littleEndian)[0]
  return value as number | bigint
}

const asArray = (v: unknown, file: string, field: string): NdArray =>
  isNdArray(v) ? v : fail(file, `scipy sparse matrix without an array "${field}" (got ${describeValue(v)})`)

/** A scipy CSC/CSR matrix's state dict (_shape, data, indices, indptr) as a dense float64 array. */
const denseFromCompressed = (kind: "csc" | "csr", state: unknown, file: string, budget: WorkBudget): NdArray => {
  const shape = dictGet(state, "_shape")
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(file, `scipy ${kind} matrix without a 2-d "_shape"`)
  const [rows, cols] = shape as [number, number]
  budget.spend(rows * cols, `scipy ${kind} matrix [${rows}, ${cols}] made dense`)
  const values = asArray(dictGet(state, "data"), file, "data")
  const indices = asArray(dictGet(state, "indices"), file, "indices")
  const indptr = asArray(dictGet(state, "indptr"), file, "indptr")
  const outer = kind === "csc" ? cols : rows
  if (indptr.data.length !== outer + 1) fail(file, `scipy ${kind} matrix: indptr has ${indptr.data.length} entries, expected ${outer + 1}`)
  const dense = new Float64Array(rows * cols)
  for (let o = 0; o < outer; o++) {
    for (let k = Number(indptr.data[o]); k < Number(indptr.data[o + 1]); k++) {
      const inner = Number(indices.data[k])
      if (!(inner >= 0 && inner < (kind === "csc" ? rows : cols))) fail(file, `scipy ${kind} matrix: index ${inner} out of range`)
      const at = kind === "csc" ? inner * cols + o : o * cols + inner
      dense[at] = Number(values.data[k])
    }
  }
  return { dtype: "f8", shape: [rows, cols], data: dense }
}
