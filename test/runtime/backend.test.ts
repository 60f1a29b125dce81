import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { describe, it } from "node:test"
import { Effect } from "effect"
import type { RasterThreads } from "../../src/raster/wasm/threads.ts"
import { acquireBackend } from "../../src/runtime/backend.ts"

/** Runs a snippet in a fresh process (navigator.gpu, once installed, stays for the process). */
const inChild = (code: string, env: Record<string, string>): string =>
  execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { env: { ...process.env, ...env }, encoding: "utf8" })

describe("backends", () => {
  it("asking for webgpu without a Vulkan driver fails with BackendUnavailable, never a fallback", () => {
    const code = `
      import { Effect } from "effect"
      import { activate } from "./src/runtime/backend.ts"
      const result = await Effect.runPromise(Effect.either(activate("webgpu")))
      const tf = await import("@tensorflow/tfjs")
      console.log(JSON.stringify({ tag: result._tag === "Left" ? result.left._tag : "ok", message: result._tag === "Left" ? result.left.message : "", backend: tf.getBackend() ?? null }))
    `
    const out = JSON.parse(inChild(code, { VK_ICD_FILENAMES: "/nonexistent/icd.json" }).trim().split("\n").at(-1) as string)
    assert.equal(out.tag, "BackendUnavailable")
    assert.match(out.message, /backend "webgpu" is unavailable: no WebGPU adapter found/)
    assert.notEqual(out.backend, "webgpu")
  })

  it("wasm and cpu always activate", () => {
    const code = `
      import { Effect } from "effect"
      import { activate } from "./src/runtime/backend.ts"
      for (const b of ["wasm", "cpu"]) console.log((await Effect.runPromise(activate(b))).name)
    `
    assert.deepEqual(inChild(code, {}).trim().split("\n"), ["wasm", "cpu"])
  })
})

describe("Backend layers own their kernel resources", () => {
  it("two wasm layers side by side each have their own rasteriser runner; releasing the two-thread one ends its worker", async () => {
    const seen = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const one = yield* acquireBackend("wasm")
          const two = yield* acquireBackend("wasm", { rasterThreads: 2 })
          const pool = two.target.rasterTiles as RasterThreads
          return { one: one.target.rasterTiles, pool, runningInScope: pool.running() }
        })
      )
    )
    assert.equal(seen.one?.threads, 1)
    assert.equal(seen.pool.threads, 2)
    assert.notEqual(seen.one?.memory, seen.pool.memory)
    assert.equal(seen.runningInScope, true)
    assert.equal(seen.pool.running(), false, "the worker ends when the layer is released")
  })
})
