/**
 * The configurations of `npm run bench -- memory` (issue 16's table, the quick preset at the
 * demo's 256x256, and Q512 at the quick widths), their targets, and the figures a child reports.
 */
import { join } from "node:path"
import type { AvatarSizes } from "../src/graphs/avatar/config.ts"
import { paperSizes, quickSizes } from "../src/graphs/avatar/config.ts"

export interface MemoryCase {
  readonly label: string
  readonly sizes: AvatarSizes
  readonly batch: number
  readonly imageSize: number
  readonly stage: 1 | 2
  readonly steps: number
}

export interface MemoryFigures extends MemoryCase {
  readonly gaussians: number
  readonly pixels: number
  readonly ok: boolean
  readonly error?: string
  readonly beforeRssBytes: number
  readonly beforeHeapBytes: number
  /** The process's maxRSS. */
  readonly peakRssBytes: number
  /** tfjs wasm's WebAssembly heap at the end (it only grows: its peak). */
  readonly heapBytes: number
  /** Peak of the live tensor buffers in that heap (bench/memoryTrack.ts). */
  readonly livePeakBytes: number
  /** Peak of tfjs's memory().numBytes (counts views and clones again). */
  readonly numBytesPeak: number
  readonly paramBytes: number
  readonly adamBytes: number
  /** Bytes the graph's nodes keep for the backward pass (last sample of the last step). */
  readonly savedBytes: number
  readonly top: ReadonlyArray<{ readonly node: string; readonly bytes: number }>
  readonly stepMs: ReadonlyArray<number>
  /** CPU milliseconds of the process per step (all its threads; less disturbed by other processes than wall time). */
  readonly stepCpuMs: ReadonlyArray<number>
}

/** A target of the issue: a bound on peak RSS and/or the WebAssembly heap. */
export interface MemoryTarget {
  readonly rssBytes?: number
  readonly heapBytes?: number
}

const GB = 1e9

export interface Configuration {
  readonly label: string
  readonly sizes: AvatarSizes
  readonly batch: number
  readonly imageSize: number
  readonly target: MemoryTarget
}

const sized = (querySize: number, featureSize: number, channels: number, hidden: number): AvatarSizes => ({ querySize, featureSize, channels, hidden })

export const configurations: ReadonlyArray<Configuration> = [
  { label: "quick@256", sizes: quickSizes, batch: 1, imageSize: 256, target: { rssBytes: 1 * GB } },
  { label: "quick", sizes: quickSizes, batch: 1, imageSize: 512, target: {} },
  { label: "128/128/32/64", sizes: sized(128, 128, 32, 64), batch: 1, imageSize: 512, target: {} },
  { label: "128/64/64/128", sizes: sized(128, 64, 64, 128), batch: 1, imageSize: 512, target: {} },
  { label: "128/128/64/128", sizes: sized(128, 128, 64, 128), batch: 1, imageSize: 512, target: {} },
  { label: "256/64/32/64", sizes: sized(256, 64, 32, 64), batch: 1, imageSize: 512, target: {} },
  { label: "256/128/64/128", sizes: sized(256, 128, 64, 128), batch: 1, imageSize: 512, target: { rssBytes: 2.5 * GB } },
  { label: "512/64/32/64", sizes: sized(512, 64, 32, 64), batch: 1, imageSize: 512, target: {} },
  { label: "paper", sizes: paperSizes, batch: 2, imageSize: 512, target: { rssBytes: 3.5 * GB, heapBytes: 4 * 2 ** 30 } }
]

/** Where the synthetic recording of a frame size lives (2 training frames). */
export const memoryDataDir = (imageSize: number): string => join("out", "bench", `memory-${imageSize}`)
