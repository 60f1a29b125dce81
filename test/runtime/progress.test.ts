import { Effect, Layer } from "effect"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { curveData } from "../../examples/curveData.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { BuiltinOps } from "../../src/ops/registry.ts"
import { WasmBackend } from "../../src/runtime/backend.ts"
import type { ProgressEvent } from "../../src/runtime/progress.ts"
import { formatStep, ProgressCollect } from "../../src/runtime/progress.ts"
import { run } from "../../src/runtime/run.ts"
import { tempDir } from "./helpers.ts"

describe("progress", () => {
  it("emits start, every step with losses, PSNR and speed, checkpoints and the finish", async () => {
    const events: ProgressEvent[] = []
    const layers = Layer.mergeAll(WasmBackend, BuiltinOps, ProgressCollect(events))
    await Effect.runPromise(run(curveFit, curveData(4, 8).dataset, { epochs: 2, batchSize: 2, checkpointDir: tempDir("progress") }).pipe(Effect.provide(layers)))
    assert.deepEqual(
      events.map((e) => e._tag),
      ["Started", "Step", "Step", "Checkpoint", "Step", "Step", "Checkpoint", "Finished"]
    )
    const step = events.find((e) => e._tag === "Step")
    assert.ok(step && step._tag === "Step")
    assert.ok(step.losses["mse"] !== undefined && step.metrics["psnr"] !== undefined && step.stepsPerSecond > 0)
    assert.match(formatStep(step), /^step 1\/4 {2}epoch 1 {2}loss [0-9.]+ {2}psnr [0-9.-]+ {2}\(mse [0-9.]+\) {2}[0-9.]+ it\/s$/)
  })
})
