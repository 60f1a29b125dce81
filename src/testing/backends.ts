/** Which backends the tests run on, and whether a missing one is a skip or a failure. */
import { Effect } from "effect"
import type { BackendName } from "../runtime/backend.ts"
import type { KernelTarget } from "../ops/contract.ts"
import { singleThreadDenseRunner } from "../ops/denseBlock/wasm/runner.ts"
import { singleThreadRunner } from "../raster/wasm/simdRaster.ts"
import { activate } from "../runtime/backend.ts"

/** cpu, wasm and webgpu; GAVATAR_BACKENDS=webgpu,cpu (for instance) narrows the run to those. */
export const testBackends: ReadonlyArray<BackendName> = (() => {
  const all: ReadonlyArray<BackendName> = ["cpu", "wasm", "webgpu"]
  const wanted = process.env["GAVATAR_BACKENDS"]?.split(",").map((b) => b.trim())
  return wanted ? all.filter((b) => wanted.includes(b)) : all
})()

/** CI sets GAVATAR_REQUIRE_WEBGPU=1 after installing a software Vulkan driver: then a missing adapter fails. */
export const isRequired = (backend: BackendName): boolean => backend !== "webgpu" || process.env["GAVATAR_REQUIRE_WEBGPU"] === "1"

export type Readiness = { readonly ok: true; readonly target: KernelTarget } | { readonly ok: false; readonly reason: string }

/** What a test compiles or resolves ops for on `backend`: on wasm, a rasteriser and a denseBlock runner of its own (one thread each). */
export const testTarget = (backend: BackendName): KernelTarget => (backend === "wasm" ? { backend, rasterTiles: singleThreadRunner(), denseBlocks: singleThreadDenseRunner() } : { backend })

/** Switch tfjs to `backend` and give a target for it, or say why it cannot run here. */
export const useBackend = async (backend: BackendName): Promise<Readiness> => {
  const result = await Effect.runPromise(Effect.either(activate(backend)))
  return result._tag === "Right" ? { ok: true, target: testTarget(backend) } : { ok: false, reason: result.left.message }
}
