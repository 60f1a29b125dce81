/**
 * A run resumes only from a checkpoint it can trust: a header edited by hand (the renamed
 * "step", which made the next run skip the rest of training and report "finished at step
 * undefined") or a damaged tensor is reported in one line naming the file, and the previous
 * checkpoint is resumed from, giving the same result as an uninterrupted run; with no good
 * checkpoint the run stops with that line. Temporary files of killed runs are removed.
 */
import { Effect, Either, Option } from "effect"
import assert from "node:assert/strict"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { curveData } from "../../examples/curveData.ts"
import { curveFit } from "../../src/graphs/curveFit.ts"
import { checkpointFile, previousFile } from "../../src/runtime/checkpointFiles.ts"
import type { ProgressEvent } from "../../src/runtime/progress.ts"
import { run } from "../../src/runtime/run.ts"
import { testLayers, tempDir } from "../runtime/helpers.ts"
import { readRunInfo, writeRunInfo } from "../../src/avatar/runFolder.ts"
import { sampleRunInfo } from "./fixtures.ts"
import { presets } from "../../src/graphs/avatar/presets.ts"

const { dataset } = curveData(6, 32)
const options = { epochs: 4, batchSize: 2, seed: 7, checkpointEvery: 2 }

const train = (input: Parameters<typeof run>[2], events: ProgressEvent[] = []) =>
  Effect.runPromise(Effect.either(run(curveFit, dataset, input).pipe(Effect.provide(testLayers("cpu", events)))))

/** A run folder stopped at step 5: checkpoint of step 5, previous of step 4. */
const stoppedRun = async (): Promise<string> => {
  const dir = tempDir("trust")
  const part = await train({ ...options, checkpointDir: dir, maxSteps: 5 })
  assert.ok(Either.isRight(part) && part.right.step === 5)
  return dir
}

describe("resuming from damaged checkpoints", () => {
  it("a renamed \"step\" key: one line naming the file, the previous checkpoint used, the same result as an uninterrupted run", async () => {
    const whole = await train(options)
    const dir = await stoppedRun()
    const file = checkpointFile(dir)
    writeFileSync(file, Buffer.from(readFileSync(file).toString("latin1").replace('"step"', '"stap"'), "latin1"))
    const events: ProgressEvent[] = []
    const resumed = await train({ ...options, checkpointDir: dir }, events)
    assert.ok(Either.isRight(whole) && Either.isRight(resumed), String(Either.isLeft(resumed) && resumed.left.message))
    const warnings = events.filter((e) => e._tag === "Warning").map((e) => (e._tag === "Warning" ? e.message : ""))
    assert.equal(warnings.length, 1)
    assert.match(warnings[0] ?? "", new RegExp(`^checkpoint ${file}: header fails its CRC-32 check \\(damaged\\); resuming from the previous checkpoint ${previousFile(file)} \\(step 4\\)$`))
    const started = events.find((e) => e._tag === "Started")
    assert.ok(started?._tag === "Started" && started.startStep === 4)
    assert.equal(resumed.right.step, 12)
    assert.deepEqual(resumed.right.params["w2"]?.data, whole.right.params["w2"]?.data)
    assert.deepEqual(resumed.right.history.map((h) => h.total), whole.right.history.map((h) => h.total))
    assert.ok(existsSync(`${file}.damaged`), "the damaged file is kept aside")
  })

  it("a damaged tensor and no previous checkpoint: the run stops with one line naming the file", async () => {
    const dir = await stoppedRun()
    const file = checkpointFile(dir)
    const bytes = readFileSync(file)
    bytes[bytes.length - 1]! ^= 0x01
    writeFileSync(file, bytes)
    writeFileSync(previousFile(file), readFileSync(file).subarray(0, 10))
    const result = await train({ ...options, checkpointDir: dir })
    assert.ok(Either.isLeft(result))
    assert.match(result.left.message, new RegExp(`^checkpoint ${file}: array "[^"]+" fails its CRC-32 check \\(damaged\\); the previous one is unusable too \\(.*\\)$`))
  })

  it("temporary files of killed runs (a checkpoint's, run.json's) are removed by the next run", async () => {
    const dir = await stoppedRun()
    const orphan = join(dir, "checkpoint.gvck.tmp-999999999")
    writeFileSync(orphan, "half a checkpoint")
    const resumed = await train({ ...options, checkpointDir: dir })
    assert.ok(Either.isRight(resumed))
    assert.ok(!existsSync(orphan))
    const runJsonOrphan = join(dir, "run.json.tmp-999999999")
    writeFileSync(runJsonOrphan, "{")
    await Effect.runPromise(writeRunInfo(dir, sampleRunInfo))
    assert.ok(!existsSync(runJsonOrphan))
    assert.ok(existsSync(join(dir, "run.json")))
  })
})

describe("run.json of runs written before a preset field existed", () => {
  it("rebuilds the graph they were trained with (no translation prior, start at the fit, poses row by row); written fields are kept", async () => {
    const dir = tempDir("older-run")
    await Effect.runPromise(writeRunInfo(dir, sampleRunInfo))
    const file = join(dir, "run.json")
    const json = JSON.parse(readFileSync(file, "utf8")) as { preset: Record<string, unknown> }
    assert.deepEqual(json.preset["poseRefinement"], presets.quick.poseRefinement, "a new run records the preset's own value")
    for (const field of ["translPrior", "poseStart", "poseRefinement"]) delete json.preset[field]
    writeFileSync(file, JSON.stringify(json))
    const older = Option.getOrThrow(await Effect.runPromise(readRunInfo(dir)))
    assert.equal(older.preset.translPrior, 0)
    assert.deepEqual(older.preset.poseStart, { _tag: "Fit" })
    assert.deepEqual(older.preset.poseRefinement, { _tag: "PerFrame" })
    assert.equal(older.preset.posePrior, presets.quick.posePrior)
    await Effect.runPromise(writeRunInfo(dir, sampleRunInfo))
    const rewritten = Option.getOrThrow(await Effect.runPromise(readRunInfo(dir)))
    assert.deepEqual(rewritten.preset.poseRefinement, presets.quick.poseRefinement)
    assert.equal(rewritten.preset.translPrior, presets.quick.translPrior)
  })
})
