/**
 * The tfjs backend as an Effect service. Layers: wasm (default on CPU, with
 * the fixes of wasmFixes.ts), cpu (slow reference), webgpu (Node through the
 * npm package `webgpu`, or a browser's navigator.gpu). Asking for a backend
 * that cannot run fails with BackendUnavailable: there is no silent fallback.
 * The layer owns the native resources kernels use (the wasm rasteriser's SIMD
 * runner and the decoder's denseBlock runner, each on one thread or two): building it makes them, releasing it frees
 * them (the second thread's worker ends), and two layers side by side each
 * have their own. Graphs are compiled for the layer's `target`.
 */
import * as tf from "@tensorflow/tfjs"
import type { Scope } from "effect"
import { Context, Effect, Layer } from "effect"
import type { KernelTarget } from "../ops/contract.ts"
import type { DenseRunner } from "../ops/denseBlock/wasm/runner.ts"
import { singleThreadDenseRunner, startDenseThreads } from "../ops/denseBlock/wasm/runner.ts"
import type { TileRunner } from "../raster/wasm/simdRaster.ts"
import { singleThreadRunner } from "../raster/wasm/simdRaster.ts"
import { startRasterThreads } from "../raster/wasm/threads.ts"
import { BackendUnavailable } from "./errors.ts"
import { installWasmFixes } from "./wasmFixes.ts"
import { shareWasmIdentity } from "./wasmIdentity.ts"
import { ensureWebGpu } from "./webgpuNode.ts"

export type BackendName = "wasm" | "cpu" | "webgpu"
export const backendNames: ReadonlyArray<BackendName> = ["wasm", "cpu", "webgpu"]

export interface BackendInfo {
  readonly name: BackendName
  /** How it was obtained, e.g. which Vulkan driver served WebGPU. */
  readonly detail: string
  /** What kernels may use of this backend; graphs are compiled for it. */
  readonly target: KernelTarget
}

export interface BackendOptions {
  /** Threads of the wasm rasteriser (1 or 2). Default 1: training spends ~5% of a step rasterising. */
  readonly rasterThreads?: 1 | 2
  /** Threads of the decoder's denseBlock kernels on wasm (1 or 2). Default 1; training, eval and render ask for 2. */
  readonly networkThreads?: 1 | 2
}

export class Backend extends Context.Tag("gavatar/Backend")<Backend, BackendInfo>() {}

const silenceTfjsBanner = (): void => {
  // The cpu backend advertises tfjs-node on first use in Node; tfjs-node cannot install offline here.
  const cpu = tf.findBackend("cpu") as unknown as { firstUse?: boolean } | null
  if (cpu) cpu.firstUse = false
}

const registerBackendPackage = async (name: BackendName): Promise<string | undefined> => {
  switch (name) {
    case "cpu":
      return "tfjs cpu kernels"
    case "wasm":
      await import("@tensorflow/tfjs-backend-wasm")
      installWasmFixes()
      shareWasmIdentity()
      return "tfjs wasm (single thread in Node)"
    case "webgpu": {
      const probe = await ensureWebGpu()
      if (!probe.ok) return undefined
      await import("@tensorflow/tfjs-backend-webgpu")
      return probe.reason
    }
  }
}

/** Switch tfjs to the named backend. Fails with BackendUnavailable, never falls back. */
export const activate = (name: BackendName): Effect.Effect<Omit<BackendInfo, "target">, BackendUnavailable> =>
  Effect.tryPromise({
    try: async () => {
      silenceTfjsBanner()
      const detail = await registerBackendPackage(name)
      if (detail === undefined) {
        const probe = await ensureWebGpu()
        throw new BackendUnavailable({ backend: name, reason: probe.reason })
      }
      if (tf.getBackend() !== name) {
        const ok = await tf.setBackend(name)
        if (!ok) throw new BackendUnavailable({ backend: name, reason: "tf.setBackend returned false" })
      }
      await tf.ready()
      return { name, detail }
    },
    catch: (error) => (error instanceof BackendUnavailable ? error : new BackendUnavailable({ backend: name, reason: String(error) }))
  })

/** The wasm rasteriser's runner: this thread's, or a pool with a worker (released with the layer). */
const rasterRunner = (threads: 1 | 2): Effect.Effect<TileRunner, BackendUnavailable, Scope.Scope> =>
  threads === 1
    ? Effect.sync(singleThreadRunner)
    : Effect.acquireRelease(
        Effect.tryPromise({ try: startRasterThreads, catch: (error) => new BackendUnavailable({ backend: "wasm", reason: `the rasteriser's second thread did not start: ${String(error)}` }) }),
        (pool) => Effect.promise(() => pool.close())
      )

/** denseBlock's SIMD runner: this thread's, or with a worker (released with the layer). */
const denseRunner = (threads: 1 | 2): Effect.Effect<DenseRunner, BackendUnavailable, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => (threads === 1 ? Promise.resolve(singleThreadDenseRunner()) : startDenseThreads()),
      catch: (error) => new BackendUnavailable({ backend: "wasm", reason: `denseBlock's SIMD kernels did not start: ${String(error)}` })
    }),
    (runner) => Effect.promise(() => runner.close())
  )

/** The backend with its kernel target; scoped: the layer's release frees the target's resources. */
export const acquireBackend = (name: BackendName, options: BackendOptions = {}): Effect.Effect<BackendInfo, BackendUnavailable, Scope.Scope> =>
  Effect.gen(function* () {
    const info = yield* activate(name)
    const target: KernelTarget =
      name === "wasm" ? { backend: name, rasterTiles: yield* rasterRunner(options.rasterThreads ?? 1), denseBlocks: yield* denseRunner(options.networkThreads ?? 1) } : { backend: name }
    return { ...info, target }
  })

export const BackendLive = (name: BackendName, options: BackendOptions = {}): Layer.Layer<Backend, BackendUnavailable> => Layer.scoped(Backend, acquireBackend(name, options))

export const WasmBackend = BackendLive("wasm")
export const CpuBackend = BackendLive("cpu")
export const WebGpuBackend = BackendLive("webgpu")

export const isBackendName = (value: string): value is BackendName => (backendNames as ReadonlyArray<string>).includes(value)
