/** Test helper: a torch.save-style zip (data.pkl + data/<key>) of float32 tensors, assembled by hand. */
import { zipSync } from "fflate"
import { PickleWriter } from "./pickle-writer.ts"

/** `_rebuild_tensor_v2(('storage', FloatStorage, key, 'cpu', n), offset, size, stride, False, OrderedDict())` */
export const tensorCall = (w: PickleWriter, key: string, numel: number, offset: number, size: ReadonlyArray<number>, stride: ReadonlyArray<number>): PickleWriter =>
  w.global("torch._utils", "_rebuild_tensor_v2").op(0x28)
    .op(0x28).str("storage").global("torch", "FloatStorage").str(key).str("cpu").int(numel).op(0x74, 0x51)
    .int(offset).value(size as Array<number>).value(stride as Array<number>).op(0x89)
    .global("collections", "OrderedDict").op(0x29, 0x52).op(0x74, 0x52)

const contiguousStrides = (shape: ReadonlyArray<number>): Array<number> =>
  shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1))

/** A dict of contiguous float32 tensors, one storage each. */
export const torchZip = (tensors: { readonly [key: string]: { readonly shape: ReadonlyArray<number>; readonly data: Float32Array } }): Uint8Array => {
  const w = new PickleWriter().op(0x80, 2).op(0x7d, 0x28)
  const entries: Record<string, Uint8Array> = {}
  Object.entries(tensors).forEach(([name, t], i) => {
    tensorCall(w.str(name), String(i), t.data.length, 0, t.shape, contiguousStrides(t.shape))
    entries[`archive/data/${i}`] = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  })
  return zipSync({ "archive/data.pkl": w.op(0x75, 0x2e).bytes(), ...entries, "archive/version": Uint8Array.from([0x33, 0x0a]) }, { level: 0 })
}
