/**
 * torch.save files (zip format, torch >= 1.6): `<prefix>/data.pkl` is a pickle whose
 * tensors are `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`
 * calls, with storages as persistent ids ('storage', torch.FloatStorage, key,
 * location, numel) naming raw little-endian entries `<prefix>/data/<key>`.
 * Tensors come back as NdArray in C order; dicts (state dicts, OrderedDicts) as Map.
 *
 * Untrusted files stay bounded: a storage entry is inflated only when a tensor uses it, with the
 * limit its declared element count gives (and must match it); before a tensor is gathered its
 * element count is checked against the caller's `maxElements` and its view against its storage's
 * extent; and all tensors together may gather at most the storages' elements plus one tensor's
 * allowance (stride-0 views cannot multiply a small file into gigabytes).
 */
import { Effect } from "effect"
import { attempt, fail, IoError, readBytes } from "./errors.ts"
import { type Dtype, type NdArray, type TypedData, itemSize, numel, viewAs } from "./ndarray.ts"
import { decodeElements, DEFAULT_MAX_ELEMENTS } from "./npy.ts"
import { type ClassHandler, PyGlobal, describeValue, parsePickle } from "./pickle.ts"
import { openZip, type ZipArchive } from "./zip.ts"

const storageDtypes: { readonly [name: string]: Dtype } = {
  DoubleStorage: "f8", FloatStorage: "f4", LongStorage: "i8", IntStorage: "i4", ShortStorage: "i2",
  CharStorage: "i1", ByteStorage: "u1", BoolStorage: "b1"
}

export interface TorchOptions {
  /** The most elements one tensor may have (body poses: frames x 72). Default 2^26. */
  readonly maxElements?: number
}

/** The largest data.pkl read (torch writes a few kilobytes for a state dict). */
const MAX_PICKLE_BYTES = 1 << 28

/** A storage as its persistent id declares it; its elements are read on first use. */
interface Storage {
  readonly dtype: Dtype
  readonly numel: number
  readonly elements: () => TypedData
}

/** How many elements the tensors may still gather: one tensor's allowance plus every storage read. */
interface Gathered {
  allowance: number
}

const storageLoader = (zip: ZipArchive, prefix: string, littleEndian: boolean, gathered: Gathered) => {
  const file = zip.file
  const cache = new Map<string, Storage>()
  return (pid: unknown): Storage => {
    if (!Array.isArray(pid) || pid[0] !== "storage") fail(file, `unexpected persistent id ${describeValue(pid)}`)
    const [, type, key, , declared] = pid as Array<unknown>
    const typeName = type instanceof PyGlobal ? type.name : String(type)
    const dtype = storageDtypes[typeName] ?? fail(file, `unsupported tensor storage ${typeName} (supported: ${Object.keys(storageDtypes).join(", ")})`)
    const name = String(key)
    const cached = cache.get(name)
    if (cached) return cached
    const entry = zip.find(`${prefix}data/${name}`) ?? fail(file, `missing tensor storage entry ${prefix}data/${name}`)
    const count = Number.isSafeInteger(declared) && (declared as number) >= 0 ? (declared as number) : Math.floor(entry.size / itemSize[dtype])
    if (entry.size !== count * itemSize[dtype]) fail(file, `tensor storage ${entry.name} holds ${entry.size} bytes, its ${count} ${dtype} elements need ${count * itemSize[dtype]}`)
    let elements: TypedData | undefined
    const storage: Storage = {
      dtype,
      numel: count,
      elements: () => {
        if (elements === undefined) {
          elements = decodeElements(zip.read(entry, count * itemSize[dtype]), 0, dtype, count, littleEndian)
          gathered.allowance += count
        }
        return elements
      }
    }
    cache.set(name, storage)
    return storage
  }
}

const isStorage = (v: unknown): v is Storage => typeof v === "object" && v !== null && "dtype" in v && "numel" in v && "elements" in v

const isIndexList = (v: unknown): v is Array<number> => Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0)

/** Checks a view's shape, strides and offset against the limits and its storage, without touching any element. */
const checkedView = (file: string, maxElements: number, args: ReadonlyArray<unknown>) => {
  const [storage, offset, size, stride] = args
  if (!isStorage(storage)) return fail(file, `tensor rebuilt from ${describeValue(storage)} instead of a storage`)
  if (!isIndexList(size) || !isIndexList(stride) || size.length !== stride.length || !Number.isSafeInteger(offset) || (offset as number) < 0) {
    return fail(file, `tensor with a bad size ${describeValue(size)}, stride ${describeValue(stride)} or offset ${String(offset)}`)
  }
  const count = numel(size)
  if (count > maxElements) fail(file, `tensor of shape [${size.join(", ")}] has ${count} elements, more than the ${maxElements} expected here`)
  const last = (offset as number) + size.reduce((sum, d, i) => sum + (d - 1) * (stride[i] as number), 0)
  if (count > 0 && last >= storage.numel) fail(file, `tensor [${size.join(", ")}] with strides [${stride.join(", ")}] from element ${offset} reads element ${last} of a storage of ${storage.numel}`)
  return { storage, offset: offset as number, shape: size, strides: stride, count }
}

/** Gathers a strided view of a storage into a C-order array. */
const rebuildTensor = (file: string, maxElements: number, gathered: Gathered) => (args: ReadonlyArray<unknown>): NdArray => {
  const { storage, offset, shape, strides, count } = checkedView(file, maxElements, args)
  const data = storage.elements()
  if (count > gathered.allowance) fail(file, `tensors gather more elements than the file's storages hold (a view of shape [${shape.join(", ")}] repeats its storage): damaged or hostile`)
  gathered.allowance -= count
  const out = viewAs(storage.dtype, new ArrayBuffer(count * itemSize[storage.dtype]), count)
  const index = shape.map(() => 0)
  let from = offset
  for (let c = 0; c < count; c++) {
    ;(out as unknown as Array<unknown>)[c] = data[from]
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1
      from += strides[d] as number
      if ((index[d] as number) < (shape[d] as number)) break
      from -= (strides[d] as number) * (shape[d] as number)
      index[d] = 0
    }
  }
  return { dtype: storage.dtype, shape, data: out }
}

export const parseTorch = (bytes: Uint8Array, file: string, options: TorchOptions = {}): Effect.Effect<unknown, IoError> =>
  Effect.gen(function* () {
    if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
      return yield* new IoError({ file, reason: "not a zip-format torch file (files saved by torch < 1.6 or with _use_new_zipfile_serialization=False are not supported)" })
    }
    const zip = yield* attempt(file, undefined, () => openZip(bytes, file))
    const pickleEntry = zip.entries.find((e) => e.name === "data.pkl" || e.name.endsWith("/data.pkl"))
    if (pickleEntry === undefined) {
      return yield* new IoError({ file, reason: "zip archive has no data.pkl: not a torch file" })
    }
    const prefix = pickleEntry.name.slice(0, -"data.pkl".length)
    const orderEntry = zip.find(`${prefix}byteorder`)
    const { pickle, order } = yield* attempt(file, undefined, () => ({ pickle: zip.read(pickleEntry, MAX_PICKLE_BYTES), order: orderEntry && zip.read(orderEntry, 16) }))
    const littleEndian = order === undefined || new TextDecoder().decode(order).trim() !== "big"
    const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS
    const gathered: Gathered = { allowance: maxElements }
    const rebuild: ClassHandler = { call: rebuildTensor(file, maxElements, gathered) }
    const parameter: ClassHandler = { call: ([data]) => data }
    return yield* parsePickle(pickle, file, {
      handlers: new Map([
        ["torch._utils._rebuild_tensor_v2", rebuild],
        ["torch._utils._rebuild_tensor", rebuild],
        ["torch._utils._rebuild_parameter", parameter]
      ]),
      persistentLoad: storageLoader(zip, prefix, littleEndian, gathered)
    })
  })

export const readTorch = (file: string, options: TorchOptions = {}): Effect.Effect<unknown, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => parseTorch(bytes, file, options))
