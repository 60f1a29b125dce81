/**
 * gavatar train --backend webgpu end to end (a tiny synthetic dataset and preset, both stages), with
 * every step's loss within acrossBackendsRun of the same run on wasm. Without a WebGPU adapter it is
 * skipped with the reason (CI installs the software Vulkan driver and requires it).
 */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { readCheckpoint } from "../../src/runtime/checkpointFiles.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { isRequired, useBackend } from "../../src/testing/backends.ts"
import { acrossBackendsRun, within } from "../../src/testing/tolerances.ts"
import { tempDir } from "../runtime/helpers.ts"
import { gavatar } from "./capture.ts"

const dir = tempDir("cli-webgpu")
after(() => spawnSync("rm", ["-rf", dir]))

/** The total loss of every step of both stages of the run in `run`. */
const lossHistory = async (run: string): Promise<number[]> => {
  const totals: number[] = []
  for (const stage of [1, 2]) {
    const found = await Effect.runPromise(readCheckpoint(join(run, `stage${stage}`, "checkpoint.gvck")))
    assert.equal(found._tag, "Some", `no stage ${stage} checkpoint in ${run}`)
    if (found._tag === "Some") totals.push(...found.value.header.history.map((h) => h.total))
  }
  return totals
}

it("gavatar train --backend webgpu runs both stages with the losses of the wasm run", async (t) => {
  const ready = await useBackend("webgpu")
  if (!ready.ok) {
    if (isRequired("webgpu")) throw new Error(`webgpu is required here: ${ready.reason}`)
    t.skip(`no webgpu: ${ready.reason}`)
    return
  }
  const data = join(dir, "data")
  const preset = join(dir, "tiny.json")
  await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
  writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 1, stage2: 1 }, poseFrom: 0 }))
  const histories: number[][] = []
  for (const backend of ["wasm", "webgpu"]) {
    const run = join(dir, backend)
    const result = await gavatar("train", "--data", data, "--out", run, "--preset", preset, "--backend", backend)
    assert.equal(result.code, 0, result.err.join("\n"))
    histories.push(await lossHistory(run))
  }
  const [wasm, webgpu] = histories as [number[], number[]]
  assert.equal(webgpu.length, 4)
  assert.equal(webgpu.length, wasm.length)
  wasm.forEach((expected, step) => assert.ok(within(webgpu[step] as number, expected, acrossBackendsRun), `step ${step}: webgpu loss ${webgpu[step]}, wasm ${expected}`))
})
