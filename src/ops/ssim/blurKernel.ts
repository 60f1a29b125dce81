/**
 * WebAssembly SIMD kernels of the separable Gaussian blur that SSIM's window sums use, four floats
 * per instruction. A plane is `rows` rows of `len` floats (len a multiple of 4); addresses are bytes
 * into the module's memory, strides counted in floats.
 *   blurColumns: dst[i][j] = sum_t taps[t] src[i + t - r][j] over rows inside [0, rows) (zero padding),
 *   blurRows:    dst[i][j] = sum_t taps[t] src[i][j + (t - r) step]; the caller pads every src row
 *                with r * step zeros on both sides (zero padding), step = the interleaved channels,
 * with r = floor(taps / 2). Float32 throughout.
 */
import { wasmFunction, forUp, get, i32, i32c, i32T, seq, set, v, v128T, wasmModule } from "../../wasm/emit.ts"
import type { Code, Local } from "../../wasm/emit.ts"
import { splat4 } from "../../wasm/simdMath.ts"

const float = (index: Code): Code => i32.mul(index, i32c(4))
const tapAt = (taps: Local, t: Local): Code => v.load32Splat(i32.add(get(taps), float(get(t))))

/** blurColumns(src, dst, rows, len, stride, taps, n) */
const blurColumns = wasmFunction("blurColumns", [i32T, i32T, i32T, i32T, i32T, i32T, i32T], [], ([src, dst, rows, len, stride, taps, n], local) => {
  const [i, j, t, t0, t1, r, from] = [local(i32T), local(i32T), local(i32T), local(i32T), local(i32T), local(i32T), local(i32T)]
  const acc = local(v128T)
  return seq(
    set(r, i32.shrU(get(n), i32c(1))),
    forUp(
      i,
      i32c(0),
      get(rows),
      1,
      set(t0, i32.max(i32c(0), i32.sub(get(r), get(i)))),
      set(t1, i32.min(get(n), i32.sub(i32.add(get(rows), get(r)), get(i)))),
      forUp(
        j,
        i32c(0),
        get(len),
        4,
        set(acc, splat4(0)),
        set(from, i32.add(get(src), float(i32.add(i32.mul(i32.sub(i32.add(get(i), get(t0)), get(r)), get(stride)), get(j))))),
        forUp(t, get(t0), get(t1), 1, set(acc, v.add(get(acc), v.mul(tapAt(taps, t), v.load(get(from))))), set(from, i32.add(get(from), float(get(stride))))),
        v.store(i32.add(get(dst), float(i32.add(i32.mul(get(i), get(stride)), get(j)))), get(acc))
      )
    )
  )
})

/** blurRows(src, dst, rows, len, srcStride, dstStride, step, taps, n) */
const blurRows = wasmFunction("blurRows", [i32T, i32T, i32T, i32T, i32T, i32T, i32T, i32T, i32T], [], ([src, dst, rows, len, srcStride, dstStride, step, taps, n], local) => {
  const [i, j, t, from] = [local(i32T), local(i32T), local(i32T), local(i32T)]
  const acc = local(v128T)
  return forUp(
    i,
    i32c(0),
    get(rows),
    1,
    forUp(
      j,
      i32c(0),
      get(len),
      4,
      set(acc, splat4(0)),
      set(from, i32.add(get(src), float(i32.sub(i32.add(i32.mul(get(i), get(srcStride)), get(j)), i32.mul(i32.shrU(get(n), i32c(1)), get(step)))))),
      forUp(t, i32c(0), get(n), 1, set(acc, v.add(get(acc), v.mul(tapAt(taps, t), v.load(get(from))))), set(from, i32.add(get(from), float(get(step))))),
      v.store(i32.add(get(dst), float(i32.add(i32.mul(get(i), get(dstStride)), get(j)))), get(acc))
    )
  )
})

export interface BlurExports {
  readonly blurColumns: (src: number, dst: number, rows: number, len: number, stride: number, taps: number, n: number) => void
  readonly blurRows: (src: number, dst: number, rows: number, len: number, srcStride: number, dstStride: number, step: number, taps: number, n: number) => void
}

/** Largest memory: 1 GiB. */
const maxPages = 16384

/** A fresh memory (grown on demand by the caller) and the kernels on it; the module is emitted and compiled anew (a millisecond). */
export const instantiateBlur = (): { readonly memory: WebAssembly.Memory; readonly kernels: BlurExports } => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: maxPages, shared: true })
  const module = new WebAssembly.Module(wasmModule([blurColumns, blurRows], { min: 1, max: maxPages }) as Uint8Array<ArrayBuffer>)
  return { memory, kernels: new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as BlurExports }
}
