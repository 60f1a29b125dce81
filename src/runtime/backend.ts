/**
 * The tfjs backend as an Effect service. Layers: wasm (default on CPU, with
 * the fixes of wasmFixes.ts), cpu (slow reference), webgpu (Node through the
 * npm package `webgpu`, or a browser's navigator.gpu). Asking for a backend
 * that cannot run fails with BackendUnavailable: there is no silent fallback.
 */
import * as tf from "@tensorflow/tfjs"
import { Context, Effect, Layer } from "effect"
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
export const activate = (name: BackendName): Effect.Effect<BackendInfo, BackendUnavailable> =>
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

export const BackendLive = (name: BackendName): Layer.Layer<Backend, BackendUnavailable> => Layer.effect(Backend, activate(name))

export const WasmBackend = BackendLive("wasm")
export const CpuBackend = BackendLive("cpu")
export const WebGpuBackend = BackendLive("webgpu")

export const isBackendName = (value: string): value is BackendName => (backendNames as ReadonlyArray<string>).includes(value)
