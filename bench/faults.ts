/**
 * npm run bench -- faults [--json] [--kills N] [--seed S]
 * The unlucky and hostile user, repeated: a tiny avatar (2 frames of 48x48, both stages, a
 * checkpoint every 2 steps) is trained once without interruption; then in another run folder the
 * same training is killed with SIGKILL N times at random moments (seeded; some land while a
 * checkpoint is written) and resumed, and the final checkpoints of both stages are compared bit for
 * bit. Then a full disk (a 600 KB tmpfs: two stage-1 checkpoints fit, a third write does not) must
 * stop training with one line and keep the last checkpoint whole, and every hostile input of
 * test/reliability must give its one-line answer in a bounded child process. Prints
 * {"kills", "killsDuringCheckpointWrite", "resumedIdentical", "fullDiskKeptCheckpoint", "hostileInputs",
 * "hostileInputsClean"} (fullDiskKeptCheckpoint is null where a tmpfs cannot be mounted).
 */
import { Effect } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { createRng } from "../src/math/rng.ts"
import { openBody } from "../src/body/openBody.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"
import { compareRuns, fullDiskRun, hostileRun, temporaryFiles, trainProcess } from "./faultsCheck.ts"
import type { BenchArgs } from "./main.ts"

const STAGES = ["stage1", "stage2"]

export const run = async (args: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...args.rest], options: { kills: { type: "string", default: "8" }, seed: { type: "string", default: "1" } } })
  const wanted = Number(values.kills)
  const rng = createRng(Number(values.seed))
  const dir = mkdtempSync(join(tmpdir(), "gavatar-faults-"))
  try {
    const data = join(dir, "data")
    await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
    const preset = join(dir, "tiny.json")
    writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 4, stage2: 2 }, poseFrom: 0 }))
    const trainArgs = (out: string) => ["--data", data, "--out", out, "--preset", preset]

    const whole = await trainProcess(trainArgs(join(dir, "whole")))
    if (whole.code !== 0) throw new Error(`the uninterrupted run failed: ${whole.stderr.slice(-500)}`)
    console.log(`uninterrupted run: ${whole.seconds.toFixed(1)} s`)

    const killedRun = join(dir, "killed")
    let kills = 0
    let duringWrite = 0
    for (let attempt = 0; kills < wanted && attempt < 3 * wanted; attempt++) {
      const delay = 1000 + rng.uniform() * (whole.seconds * 1000 - 1000)
      const outcome = await trainProcess(trainArgs(killedRun), delay)
      if (outcome.killed) kills++
      // A temporary checkpoint left behind means the kill landed while a checkpoint was being written.
      const writing = outcome.killed && temporaryFiles(killedRun).length > 0
      if (writing) duringWrite++
      console.log(`kill ${kills}/${wanted}: after ${(delay / 1000).toFixed(1)} s ${outcome.killed ? `killed${writing ? " while a checkpoint was being written" : ""}` : `the run had ended (exit ${outcome.code})`}`)
    }
    const resumed = await trainProcess(trainArgs(killedRun))
    const difference = resumed.code === 0 ? await compareRuns(join(dir, "whole"), killedRun, STAGES) : `the resumed run failed: ${resumed.stderr.slice(-300)}`
    const leftovers = temporaryFiles(killedRun)
    const resumedIdentical = difference === undefined && leftovers.length === 0
    console.log(resumedIdentical ? "resumed run identical to the uninterrupted one, no temporary files left" : `resumed run differs: ${difference ?? `temporary files left: ${leftovers.join(", ")}`}`)

    const disk = await fullDiskRun(trainArgs, 600)
    console.log(disk.skipped ? `full disk: skipped (${disk.skipped})` : `full disk: ${disk.keptCheckpoint ? "checkpoint kept" : "FAILED"}: ${disk.line}`)

    const hostile = await hostileRun(mkdtempSync(join(tmpdir(), "gavatar-hostile-")))
    console.log(`hostile inputs: ${hostile.clean}/${hostile.inputs} answered in one line within their memory and time bounds`)
    hostile.failures.forEach((f) => console.log(`  not clean: ${f}`))

    if (args.json) {
      console.log(JSON.stringify({ kills, killsDuringCheckpointWrite: duringWrite, resumedIdentical, fullDiskKeptCheckpoint: disk.skipped ? null : disk.keptCheckpoint, hostileInputs: hostile.inputs, hostileInputsClean: hostile.clean }))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
