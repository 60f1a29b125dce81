/**
 * A worker thread for a frame's outputs (outputWorker.ts): scores and PNGs are made there while the
 * main thread renders the next frame, so evaluation and rendering keep both cores busy. At most
 * `maxPending` jobs are in flight (each holds a frame's images); submit waits for the oldest beyond
 * that. A job that fails, or a worker that dies, fails that job's (and every pending job's) Effect
 * with an IoError naming the file. Scoped: the worker ends when the scope closes.
 * The pool takes the job's arrays: their buffers are transferred to the worker (detached here), so a
 * caller passes arrays it owns (copies of anything it keeps).
 */
import type { Scope } from "effect"
import { Deferred, Effect } from "effect"
import { Worker } from "node:worker_threads"
import type { HostTensor } from "../data/dataset.ts"
import { IoError } from "../io/errors.ts"
import type { Image8 } from "../io/png.ts"

/** Score a render against its truth and write frames/ (truth | render | error) and renders/ PNGs. */
export interface ScoreJob {
  readonly _tag: "Score"
  readonly id: number
  readonly render: HostTensor
  readonly truth: HostTensor
  readonly mask?: HostTensor
  readonly ssimWindow: { readonly window: number; readonly sigma: number }
  readonly framesFile: string
  readonly renderFile: string
}

export interface PngJob {
  readonly _tag: "Png"
  readonly id: number
  readonly file: string
  readonly image: Image8
}

export type OutputJob = ScoreJob | PngJob

export type OutputReply =
  | { readonly _tag: "Scored"; readonly id: number; readonly psnr: number; readonly maskedPsnr: number; readonly ssim: number }
  | { readonly _tag: "Written"; readonly id: number }
  | { readonly _tag: "Failed"; readonly id: number; readonly file: string; readonly reason: string }

type Done = Exclude<OutputReply, { _tag: "Failed" }>

/** A job without its id (the pool numbers them). */
export type OutputRequest = Omit<ScoreJob, "id"> | Omit<PngJob, "id">

export interface OutputPool {
  /** Hands a job to the worker; the returned Effect waits for its reply. */
  readonly submit: (job: OutputRequest) => Effect.Effect<Effect.Effect<Done, IoError>, IoError>
}

const fileOf = (job: OutputRequest): string => (job._tag === "Png" ? job.file : job.framesFile)

/** The worker loads TypeScript sources: workers do not inherit tsx's loader, so it registers tsx first. */
const spawn = (): Worker => {
  const url = new URL("./outputWorker.ts", import.meta.url).href
  return new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}) })`, { eval: true })
}

const started = (worker: Worker): Promise<void> =>
  new Promise((resolve, reject) => {
    worker.once("message", () => resolve())
    worker.once("error", reject)
    worker.once("exit", (code) => reject(new Error(`exited with code ${code} before it was ready`)))
  })

interface Pending {
  readonly file: string
  readonly done: Deferred.Deferred<Done, IoError>
}

const attach = (worker: Worker, pending: Map<number, Pending>): void => {
  // Only the start-up listeners: Worker keeps its own (newListener) hooks that start its message port.
  for (const event of ["message", "error", "exit"]) worker.removeAllListeners(event)
  worker.on("message", (reply: OutputReply) => {
    const job = pending.get(reply.id)
    if (!job) return
    pending.delete(reply.id)
    Deferred.unsafeDone(job.done, reply._tag === "Failed" ? Effect.fail(new IoError({ file: reply.file, reason: reply.reason })) : Effect.succeed(reply))
  })
  const failAll = (reason: string) => {
    for (const [id, job] of pending) {
      pending.delete(id)
      Deferred.unsafeDone(job.done, Effect.fail(new IoError({ file: job.file, reason })))
    }
  }
  worker.on("error", (error) => failAll(`the output worker failed: ${error.message}`))
  worker.on("exit", (code) => failAll(`the output worker exited (code ${code})`))
}

const transferables = (job: OutputRequest): ArrayBuffer[] =>
  (job._tag === "Png" ? [job.image.data.buffer] : [job.render.data, job.truth.data, ...(job.mask ? [job.mask.data] : [])].map((d) => (d as Float32Array).buffer)).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)

/** Start the worker; `maxPending` jobs in flight at most (default 2). */
export const outputPool = (maxPending = 2): Effect.Effect<OutputPool, IoError, Scope.Scope> =>
  Effect.gen(function* () {
    const worker = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const w = spawn()
          await started(w)
          return w
        },
        catch: (error) => new IoError({ file: "outputWorker.ts", reason: `the output worker did not start: ${String(error)}` })
      }),
      (w) => Effect.promise(() => w.terminate())
    )
    const pending = new Map<number, Pending>()
    attach(worker, pending)
    let next = 0
    const submit = (job: OutputRequest) =>
      Effect.gen(function* () {
        const oldest = pending.values().next()
        if (pending.size >= maxPending && !oldest.done) yield* Effect.ignore(Deferred.await(oldest.value.done))
        if (worker.threadId === -1) return yield* new IoError({ file: fileOf(job), reason: "the output worker is not running" })
        const done = yield* Deferred.make<Done, IoError>()
        const id = next++
        pending.set(id, { file: fileOf(job), done })
        worker.postMessage({ ...job, id }, transferables(job))
        return Deferred.await(done)
      })
    const pool: OutputPool = { submit }
    return pool
  })
