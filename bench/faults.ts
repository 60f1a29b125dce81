/**
 * npm run bench -- faults [--json] [--kills N] [--seed S]
 * The unlucky and hostile user, repeated: a tiny avatar (2 frames of 48x48, 8 + 3 epochs, a
 * checkpoint every 2 steps) is trained once without interruption; then in another run folder the
 * same training is killed with SIGKILL N times and resumed, the kills alternating between a random
 * moment (seeded) and the moment a temporary checkpoint file appears (a kill during a write), and
 * the final checkpoints of both stages are compared bit for bit. Then a full disk (a 600 KB tmpfs: two stage-1 checkpoints fit, a third write does not) must
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
import { compareRuns, fullDiskRun, hostileRun, type KillAt, temporaryFiles, trainProcess } from "./faultsCheck.ts"
import type { BenchArgs } from "./main.ts"

const STAGES = ["stage1", "stage2"]

/** A temporary checkpoint file of process `pid` exists in the run folder (it is writing one, or was killed doing so). */
const writingCheckpoint = (run: string, pid: number | undefined): boolean => temporaryFiles(run).some((name) => name.endsWith(`checkpoint.gvck.tmp-${pid}`))

export const run = async (args: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...args.rest], options: { kills: { type: "string", default: "8" }, seed: { type: "string", default: "1" } } })
  const wanted = Number(values.kills)
  const rng = createRng(Number(values.seed))
  const dir = mkdtempSync(join(tmpdir(), "gavatar-faults-"))
  try {
    const data = join(dir, "data")
    await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
    const preset = join(dir, "tiny.json")
    writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 8, stage2: 3 }, poseFrom: 0 }))
    const trainArgs = (out: string) => ["--data", data, "--out", out, "--preset", preset]

    const whole = await trainProcess(trainArgs(join(dir, "whole")))
    if (whole.code !== 0) throw new Error(`the uninterrupted run failed: ${whole.stderr.slice(-500)}`)
    console.log(`uninterrupted run: ${whole.seconds.toFixed(1)} s`)

    // Kills alternate: at a random moment, or the moment a temporary checkpoint file appears (during a write).
    const killedRun = join(dir, "killed")
    let kills = 0
    let duringWrite = 0
    for (let attempt = 0; kills < wanted; attempt++) {
      const random = attempt % 2 === 0
      const delay = 1000 + rng.uniform() * (0.5 * whole.seconds * 1000)
      const killAt: KillAt = random ? { _tag: "After", ms: delay } : { _tag: "When", holds: (pid) => writingCheckpoint(killedRun, pid) }
      const outcome = await trainProcess(trainArgs(killedRun), killAt)
      if (!outcome.killed) {
        console.log(`the run finished (exit ${outcome.code}) before kill ${kills + 1}: no more kills`)
        break
      }
      kills++
      // A temporary checkpoint of the killed process left behind means the kill landed while it was being written.
      const writing = writingCheckpoint(killedRun, outcome.pid)
      if (writing) duringWrite++
      console.log(`kill ${kills}/${wanted}: ${random ? `after ${(delay / 1000).toFixed(1)} s` : "when its first temporary checkpoint file appeared"}${writing ? ", while a checkpoint was being written" : ""}`)
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
