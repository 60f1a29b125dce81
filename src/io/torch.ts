/**
 * torch.save files (zip format, torch >= 1.6): `<prefix>/data.pkl` is a pickle whose
 * tensors are `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`
 * calls, with storages as persistent ids ('storage', torch.FloatStorage, key,
 * location, numel) naming raw little-endian entries `<prefix>/data/<key>`.
 * Tensors come back as NdArray in C order; dicts (state dicts, OrderedDicts) as Map.
 */
import { Effect } from "effect"
import { fail, IoError, readBytes } from "./errors.ts"
import { type Dtype, type NdArray, type TypedData, itemSize, numel, viewAs } from "./ndarray.ts"
import { decodeElements } from "./npy.ts"
import { unzip } from "./npz.ts"
import { type ClassHandler, PyGlobal, describeValue, parsePickle } from "./pickle.ts"

const storageDtypes: { readonly [name: string]: Dtype } = {
  DoubleStorage: "f8", FloatStorage: "f4", LongStorage: "i8", IntStorage: "i4", ShortStorage: "i2",
  CharStorage: "i1", ByteStorage: "u1", BoolStorage: "b1"
}

interface Storage {
  readonly dtype: Dtype
  readonly data: TypedData
}

const storageLoader = (entries: Record<string, Uint8Array>, prefix: string, littleEndian: boolean, file: string) => {
  const cache = new Map<string, Storage>()
  return (pid: unknown): Storage => {
    if (!Array.isArray(pid) || pid[0] !== "storage") fail(file, `unexpected persistent id ${describeValue(pid)}`)
    const [, type, key] = pid as Array<unknown>
    const typeName = type instanceof PyGlobal ? type.name : String(type)
    const dtype = storageDtypes[typeName]
    if (dtype === undefined) fail(file, `unsupported tensor storage ${typeName} (supported: ${Object.keys(storageDtypes).join(", ")})`)
    const name = String(key)
    const cached = cache.get(name)
    if (cached) return cached
    const bytes = entries[`${prefix}data/${name}`] ?? fail(file, `missing tensor storage entry ${prefix}data/${name}`)
    const count = Math.floor(bytes.length / itemSize[dtype as Dtype])
    const storage = { dtype: dtype as Dtype, data: decodeElements(bytes, 0, dtype as Dtype, count, littleEndian) }
    cache.set(name, storage)
    return storage
  }
}

const isStorage = (v: unknown): v is Storage => typeof v === "object" && v !== null && "dtype" in v && "data" in v && !("shape" in v)

/** Gathers a strided view of a storage into a C-order array. */
const rebuildTensor = (file: string) => (args: ReadonlyArray<unknown>): NdArray => {
  const [storage, offset, size, stride] = args
  if (!isStorage(storage)) fail(file, `tensor rebuilt from ${describeValue(storage)} instead of a storage`)
  const isIndexList = (v: unknown): v is Array<number> => Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0)
  if (!isIndexList(size) || !isIndexList(stride) || size.length !== stride.length || !Number.isInteger(offset)) {
    fail(file, `tensor with a bad size ${describeValue(size)} or stride ${describeValue(stride)}`)
  }
  const shape = size as Array<number>
  const strides = stride as Array<number>
  const { dtype, data } = storage as Storage
  const count = numel(shape)
  const out = viewAs(dtype, new ArrayBuffer(count * itemSize[dtype]), count)
  const index = shape.map(() => 0)
  let from = Number(offset)
  for (let c = 0; c < count; c++) {
    if (from >= data.length) fail(file, `tensor [${shape.join(", ")}] reads past the end of its storage (${data.length} elements)`)
    ;(out as unknown as Array<unknown>)[c] = data[from]
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1
      from += strides[d] as number
      if ((index[d] as number) < (shape[d] as number)) break
      from -= (strides[d] as number) * (shape[d] as number)
      index[d] = 0
    }
  }
  return { dtype, shape, data: out }
}

export const parseTorch = (bytes: Uint8Array, file: string): Effect.Effect<unknown, IoError> =>
  Effect.gen(function* () {
    if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
      return yield* new IoError({ file, reason: "not a zip-format torch file (files saved by torch < 1.6 or with _use_new_zipfile_serialization=False are not supported)" })
    }
    const entries = yield* unzip(bytes, file)
    const pickleName = Object.keys(entries).find((name) => name === "data.pkl" || name.endsWith("/data.pkl"))
    if (pickleName === undefined) {
      return yield* new IoError({ file, reason: "zip archive has no data.pkl: not a torch file" })
    }
    const prefix = pickleName.slice(0, -"data.pkl".length)
    const order = entries[`${prefix}byteorder`]
    const littleEndian = order === undefined || new TextDecoder().decode(order).trim() !== "big"
    const rebuild: ClassHandler = { call: rebuildTensor(file) }
    const parameter: ClassHandler = { call: ([data]) => data }
    return yield* parsePickle(entries[pickleName] as Uint8Array, file, {
      handlers: new Map([
        ["torch._utils._rebuild_tensor_v2", rebuild],
        ["torch._utils._rebuild_tensor", rebuild],
        ["torch._utils._rebuild_parameter", parameter]
      ]),
      persistentLoad: storageLoader(entries, prefix, littleEndian, file)
    })
  })

export const readTorch = (file: string): Effect.Effect<unknown, IoError> =>
  Effect.flatMap(readBytes(file), (bytes) => parseTorch(bytes, file))
