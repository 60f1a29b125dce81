/**
 * The runner of denseBlock's WebAssembly SIMD kernels (assembly/kernel.ts): one shared
 * WebAssembly.Memory that only grows (up to 1 GiB), this thread's instance, and with two threads a
 * worker (worker.ts) holding a second instance on the same memory. `rows` runs a kernel over the
 * rows [0, n): alone, or the first half here and the second on the worker, which waits on an
 * Atomics word rather than a message (a layer runs about five such passes, each a few ms). The
 * caller blocks until both halves are done, so tfjs kernels stay synchronous.
 * Made by the wasm Backend layer ({ networkThreads }) and closed with it (the worker ends).
 */
import { Worker } from "node:worker_threads"
import { compileAssemblyScript, sharedMemoryFlags } from "../../../wasm/assemblyscript.ts"

/** Largest memory: 1 GiB (16384 pages of 64 KiB): the paper's 174k points at 128 channels fit. */
const maxPages = 16384
const pageBytes = 65536

/** The kernels' exports; every pass takes its row range [r0, r1) as the last two arguments. */
export interface DenseKernels {
  readonly matmulRows: (...args: number[]) => void
  readonly transposedProduct: (...args: number[]) => void
  readonly linearSoftplusRows: (...args: number[]) => void
  readonly squaredDeviations: (...args: number[]) => void
  readonly affineRows: (...args: number[]) => void
  readonly gradientSums: (...args: number[]) => void
  readonly preActivationGrads: (...args: number[]) => void
  readonly heapBase: () => number
}
export type KernelName = Exclude<keyof DenseKernels, "heapBase">
export const kernelNames: ReadonlyArray<KernelName> = ["matmulRows", "transposedProduct", "linearSoftplusRows", "squaredDeviations", "affineRows", "gradientSums", "preActivationGrads"]

/** The control words the worker waits on: [job sequence, done sequence, kernel index, argument count, failed, arguments...]. */
export const control = { seq: 0, done: 1, kernel: 2, argc: 3, failed: 4, args: 5, words: 32 } as const

export interface DenseRunner {
  readonly threads: 1 | 2
  /** The byte address of a region of at least `bytes` (growing the memory); valid until the next call. */
  readonly reserve: (bytes: number) => number
  /** A float32 view of the whole memory (take it after `reserve`). */
  readonly heap: () => Float32Array
  /** Run `kernel` with `args(part)` and a row range, over rows [0, n): one part, or parts 0 and 1 on two threads. */
  readonly rows: (kernel: KernelName, n: number, args: (part: 0 | 1) => ReadonlyArray<number>) => void
  readonly close: () => Promise<number>
}

/** Below this many rows a pass runs on one thread (waking the worker costs more than it saves). */
const minRowsToSplit = 512
/** Longest wait for the worker's half before giving up (it died or hangs). */
const jobTimeoutMs = 120_000

export const denseModule = (): WebAssembly.Module =>
  new WebAssembly.Module(compileAssemblyScript(new URL("./assembly/kernel.ts", import.meta.url), sharedMemoryFlags(maxPages)) as Uint8Array<ArrayBuffer>)

const instantiate = (module: WebAssembly.Module, memory: WebAssembly.Memory): DenseKernels => new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as DenseKernels

const reserver = (memory: WebAssembly.Memory, base: number) => (bytes: number): number => {
  const needed = Math.ceil((base + bytes) / pageBytes)
  const pages = memory.buffer.byteLength / pageBytes
  if (needed > maxPages) throw new RangeError(`denseBlock needs ${base + bytes} bytes of WebAssembly memory; at most ${maxPages * pageBytes} fit`)
  if (needed > pages) memory.grow(needed - pages)
  return base
}

const spawnWorker = (module: WebAssembly.Module, memory: WebAssembly.Memory, words: Int32Array): Worker => {
  const url = new URL("./worker.ts", import.meta.url).href
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}) })`
  return new Worker(bootstrap, { eval: true, workerData: { module, memory, control: words } })
}

/** Post a job to the worker, run part 0 here, then wait for the worker's part. */
const splitRun = (kernels: DenseKernels, words: Int32Array) => (kernel: KernelName, n: number, args: (part: 0 | 1) => ReadonlyArray<number>): void => {
  const half = Math.floor(n / 8) * 4
  const theirs = [...args(1), half, n]
  const seq = (Atomics.load(words, control.seq) + 1) | 0
  words[control.kernel] = kernelNames.indexOf(kernel)
  words[control.argc] = theirs.length
  words.set(theirs, control.args)
  Atomics.store(words, control.seq, seq)
  Atomics.notify(words, control.seq)
  kernels[kernel](...args(0), 0, half)
  for (;;) {
    const done = Atomics.load(words, control.done)
    if (done === seq) break
    if (Atomics.wait(words, control.done, done, jobTimeoutMs) === "timed-out") throw new Error(`denseBlock's worker thread did not finish its rows within ${jobTimeoutMs} ms (it died or hangs)`)
  }
  if (words[control.failed] !== 0) throw new Error(`denseBlock's worker thread failed in ${kernel}`)
}

export const singleThreadDenseRunner = (): DenseRunner => {
  const module = denseModule()
  const memory = new WebAssembly.Memory({ initial: 1, maximum: maxPages, shared: true })
  const kernels = instantiate(module, memory)
  return {
    threads: 1,
    reserve: reserver(memory, kernels.heapBase()),
    heap: () => new Float32Array(memory.buffer),
    rows: (kernel, n, args) => kernels[kernel](...args(0), 0, n),
    close: async () => 0
  }
}

/** Two threads: this one and a worker on the same memory (started here, ready when this resolves). */
export const startDenseThreads = async (): Promise<DenseRunner> => {
  const module = denseModule()
  const memory = new WebAssembly.Memory({ initial: 1, maximum: maxPages, shared: true })
  const kernels = instantiate(module, memory)
  const words = new Int32Array(new SharedArrayBuffer(control.words * 4))
  const worker = spawnWorker(module, memory, words)
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve())
    worker.once("error", reject)
    worker.once("exit", (code) => reject(new Error(`denseBlock's worker exited with code ${code} before it was ready`)))
  })
  worker.removeAllListeners()
  // Set when the worker ends (seen between steps; a worker that dies during a pass times out instead).
  const ended: { reason?: string } = {}
  worker.once("error", (error) => (ended.reason = `failed: ${String(error)}`))
  worker.once("exit", (code) => (ended.reason ??= `exited with code ${code}`))
  const split = splitRun(kernels, words)
  return {
    threads: 2,
    reserve: reserver(memory, kernels.heapBase()),
    heap: () => new Float32Array(memory.buffer),
    rows: (kernel, n, args) => {
      if (n < minRowsToSplit) return kernels[kernel](...args(0), 0, n)
      if (ended.reason !== undefined) throw new Error(`denseBlock's worker thread ${ended.reason}: the decoder's second thread is gone`)
      split(kernel, n, args)
    },
    close: () => worker.terminate()
  }
}
