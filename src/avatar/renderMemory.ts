/**
 * The memory a render of W x H pixels needs, checked before rendering: each memory pool is a
 * limit, a cost per pixel and a fixed cost; a size past any limit is refused with the largest size
 * of the same shape that fits. Pools (per-pixel costs measured on graphs.render, 2026-11):
 *  - wasm backend, the WebAssembly rasteriser's memory: at most 1 GiB (src/raster/wasm), 28 bytes
 *    per pixel of forward output plus tile lists, counted as 32;
 *  - wasm backend, tfjs's WebAssembly heap: at most 4 GiB; the render graph's tensors peak at
 *    76 bytes per pixel (tf.profile at 256..1024 px), counted as 80;
 *  - every backend, this machine's memory: peak resident size grew 258 bytes per pixel
 *    (1.29 GB at 2000x2000, 4.39 GB at 4000x4000), counted as 260.
 * The fixed costs are margins for the network's own tensors (a few hundred MB at the quick and
 * paper sizes). GPU memory on webgpu is not modelled. A render that still runs out of memory is one
 * line too (RenderOutOfMemory, see outOfMemory).
 */
import { Data, Effect, Option } from "effect"
import { totalmem } from "node:os"
import { maxPages } from "../raster/wasm/rasterWasm.ts"
import { pixelBytes } from "../raster/wasm/layout.ts"
import type { BackendName } from "../runtime/backend.ts"

const MB = 1 << 20

export interface MemoryPool {
  readonly name: string
  readonly limitBytes: number
  readonly bytesPerPixel: number
  readonly fixedBytes: number
}

export const memoryPools = (backend: BackendName, hostBytes: number = totalmem()): ReadonlyArray<MemoryPool> => [
  ...(backend === "wasm"
    ? [
        { name: "the WebAssembly rasteriser's memory", limitBytes: maxPages * 65536, bytesPerPixel: pixelBytes + 4, fixedBytes: 64 * MB },
        { name: "tfjs's WebAssembly heap", limitBytes: 4096 * MB, bytesPerPixel: 80, fixedBytes: 256 * MB }
      ]
    : []),
  { name: "this machine's memory", limitBytes: hostBytes, bytesPerPixel: 260, fixedBytes: 512 * MB }
]

/** A render size past a memory limit; `largest` is the largest size of the same shape within every limit. */
export class RenderTooLarge extends Data.TaggedError("RenderTooLarge")<{
  readonly width: number
  readonly height: number
  readonly pool: string
  readonly needBytes: number
  readonly limitBytes: number
  readonly largest: { readonly width: number; readonly height: number }
}> {
  override get message(): string {
    const gb = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GB`
    return `rendering ${this.width}x${this.height} needs about ${gb(this.needBytes)} of ${this.pool}, which holds ${gb(this.limitBytes)}; the largest size of this shape that fits is ${this.largest.width}x${this.largest.height} (--size)`
  }
}

/** A render that ran out of memory all the same. */
export class RenderOutOfMemory extends Data.TaggedError("RenderOutOfMemory")<{ readonly width: number; readonly height: number; readonly detail: string }> {
  override get message(): string {
    return `rendering ${this.width}x${this.height} ran out of memory (${this.detail}); try a smaller --size`
  }
}

const need = (pool: MemoryPool, pixels: number): number => pool.fixedBytes + pool.bytesPerPixel * pixels

/** The largest W' x H' with W'/H' about W/H within every pool. */
const largestFitting = (width: number, height: number, pools: ReadonlyArray<MemoryPool>): { width: number; height: number } => {
  const maxPixels = Math.min(...pools.map((p) => Math.max(0, (p.limitBytes - p.fixedBytes) / p.bytesPerPixel)))
  const scale = Math.min(1, Math.sqrt(maxPixels / (width * height)))
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) }
}

export const checkRenderSize = (width: number, height: number, backend: BackendName, pools: ReadonlyArray<MemoryPool> = memoryPools(backend)): Effect.Effect<void, RenderTooLarge> => {
  const over = pools.find((p) => need(p, width * height) > p.limitBytes)
  return over === undefined
    ? Effect.void
    : Effect.fail(new RenderTooLarge({ width, height, pool: over.name, needBytes: need(over, width * height), limitBytes: over.limitBytes, largest: largestFitting(width, height, pools) }))
}

const memoryMessage = /Memory\.grow|Maximum memory size|Array buffer allocation failed|Invalid typed array length|Out of memory/i

/** Turns a render's out-of-memory crash (a RangeError thrown by WebAssembly or an allocation) into RenderOutOfMemory. */
export const outOfMemory = (width: number, height: number) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | RenderOutOfMemory, R> =>
  Effect.catchSomeDefect(effect, (defect) => {
    const text = defect instanceof Error ? defect.message : String(defect)
    return memoryMessage.test(text) ? Option.some(Effect.fail(new RenderOutOfMemory({ width, height, detail: text.split("\n")[0] ?? text }))) : Option.none()
  })
