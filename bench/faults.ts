/**
 * npm run bench -- faults [--json] [--kills N] [--seed S]
 * The unlucky and hostile user, repeated: a tiny avatar (2 frames of 48x48, 8 + 3 epochs, a
 * checkpoint every epoch: 11 checkpoint writes) is trained once without interruption, timing its
 * writes; then in another run folder the same training is killed with SIGKILL N times and resumed
 * each time, the kills spread over both stages by checkpoint write (bench/faultsSchedule.ts: half at
 * a seeded random moment between two writes, half the moment a write's temporary file appears),
 * and the final checkpoints of both stages are compared bit for bit with the uninterrupted run's.
 * Then a full disk (a 600 KB tmpfs: two stage-1 checkpoints fit, a third write does not) must stop
 * training with one line and keep the last checkpoint whole, and every hostile input of
 * test/reliability must give its one-line answer in a bounded child process. Prints {"kills",
 * "killsDuringCheckpointWrite", "killsAfterStage1", "resumedIdentical", "fullDiskKeptCheckpoint",
 * "hostileInputs", "hostileInputsClean"} (fullDiskKeptCheckpoint is null where a tmpfs cannot be
 * mounted).
 */
import { Effect, Option } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { createRng, type Rng } from "../src/math/rng.ts"
import { openBody } from "../src/body/openBody.ts"
import { readLatestCheckpoint } from "../src/runtime/checkpointFiles.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"
import { compareRuns, fullDiskRun, hostileRun, temporaryFiles, trainProcess } from "./faultsCheck.ts"
import { killTargets, killWhen, STAGES, sum, writeCounter, type WriteTimes } from "./faultsSchedule.ts"
import type { BenchArgs } from "./main.ts"

type TrainArgs = (out: string) => ReadonlyArray<string>

/** The uninterrupted run: the time each checkpoint write ended (ms from the start) and the writes per stage. */
const uninterrupted = async (trainArgs: TrainArgs, out: string): Promise<{ readonly times: WriteTimes; readonly perStage: ReadonlyArray<number> }> => {
  const counter = writeCounter(out)
  const times: number[] = []
  let perStage: ReadonlyArray<number> = []
  const result = await trainProcess(trainArgs(out), (_pid, ms) => {
    perStage = counter.poll()
    while (times.length < sum(perStage)) times.push(ms)
    return false
  })
  perStage = counter.poll()
  if (result.code !== 0) throw new Error(`the uninterrupted run failed: ${result.stderr.slice(-500)}`)
  console.log(`uninterrupted run: ${result.seconds.toFixed(1)} s, ${sum(perStage)} checkpoint writes (${perStage.join(" + ")}), the first ${((times[0] ?? 0) / 1000).toFixed(1)} s after the start`)
  return { times, perStage }
}

/** The steps of the checkpoints a run would resume from, one per stage ("-" for none). */
const keptSteps = (out: string): Promise<string> =>
  Effect.runPromise(
    Effect.forEach(STAGES, (stage) =>
      Effect.either(readLatestCheckpoint(join(out, stage))).pipe(
        Effect.map((r) => (r._tag === "Left" ? `${stage} damaged` : Option.match(r.right, { onNone: () => `${stage} -`, onSome: (c) => `${stage} step ${c.checkpoint.header.step}` })))
      )
    ).pipe(Effect.map((parts) => parts.join(", ")))
  )

interface KillRecord {
  readonly kills: number
  readonly duringWrite: number
  readonly afterStage1: number
}

/** N kills of training in `out`, each resumed by the next process (see faultsSchedule.ts). */
const killRepeatedly = async (trainArgs: TrainArgs, out: string, wanted: number, whole: { readonly times: WriteTimes; readonly perStage: ReadonlyArray<number> }, rng: Rng): Promise<KillRecord> => {
  const stage1Writes = whole.perStage[0] ?? 0
  const record = { kills: 0, duringWrite: 0, afterStage1: 0 }
  let done = [0, 0]
  for (const target of killTargets(wanted, whole.times.length, rng)) {
    const plan = killWhen(out, target, sum(done), whole.times)
    const outcome = await trainProcess(trainArgs(out), plan.shouldKill)
    done = done.map((d, i) => d + (plan.counter.poll()[i] ?? 0))
    if (!outcome.killed) {
      console.log(`the run finished (exit ${outcome.code}) before kill ${record.kills + 1}: no more kills`)
      break
    }
    record.kills++
    // A temporary checkpoint of the killed process left behind means the kill landed while it was being written.
    const writing = temporaryFiles(out).some((name) => name.endsWith(`.gvck.tmp-${outcome.pid}`))
    if (writing) record.duringWrite++
    if ((done[0] ?? 0) >= stage1Writes) record.afterStage1++
    const aim = target._tag === "Random" ? `${(target.fraction * plan.gap / 1000).toFixed(1)} s into the ${(plan.gap / 1000).toFixed(1)} s before it` : "the moment it began"
    console.log(`kill ${record.kills}/${wanted} (aimed at write ${plan.write} of ${whole.times.length}, ${aim}): writes done ${sum(done)}${writing ? ", killed during a checkpoint write" : ""}; resumes from ${await keptSteps(out)}`)
  }
  return record
}

const metOrNot = (met: boolean): string => (met ? "met" : "not met")

export const run = async (args: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...args.rest], options: { kills: { type: "string", default: "8" }, seed: { type: "string", default: "1" } } })
  const dir = mkdtempSync(join(tmpdir(), "gavatar-faults-"))
  try {
    const data = join(dir, "data")
    await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 1, textureSize: 128 })))
    const preset = join(dir, "tiny.json")
    writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 8, stage2: 3 }, poseFrom: 0 }))
    const trainArgs = (out: string) => ["--data", data, "--out", out, "--preset", preset]

    const whole = await uninterrupted(trainArgs, join(dir, "whole"))
    const killedRun = join(dir, "killed")
    const kills = await killRepeatedly(trainArgs, killedRun, Number(values.kills), whole, createRng(Number(values.seed)))
    const resumed = await trainProcess(trainArgs(killedRun))
    const difference = resumed.code === 0 ? await compareRuns(join(dir, "whole"), killedRun, STAGES) : `the resumed run failed: ${resumed.stderr.slice(-300)}`
    const leftovers = temporaryFiles(killedRun)
    const resumedIdentical = difference === undefined && leftovers.length === 0
    console.log(resumedIdentical ? "resumed run identical to the uninterrupted one, no temporary files left" : `resumed run differs: ${difference ?? `temporary files left: ${leftovers.join(", ")}`}`)
    console.log(`  kills ${kills.kills} of ${values.kills} asked, ${kills.duringWrite} during a checkpoint write (target: every kill resumes bit-identically: ${metOrNot(resumedIdentical)})`)

    const disk = await fullDiskRun(trainArgs, 600)
    console.log(disk.skipped ? `full disk: skipped (${disk.skipped})` : `full disk: ${disk.keptCheckpoint ? "checkpoint kept" : "FAILED"}: ${disk.line} (target: one line, exit 1, the last checkpoint kept whole: ${metOrNot(disk.keptCheckpoint)})`)

    const hostile = await hostileRun(mkdtempSync(join(tmpdir(), "gavatar-hostile-")))
    console.log(`hostile inputs: ${hostile.clean}/${hostile.inputs} answered in one line within their memory and time bounds (target: all: ${metOrNot(hostile.clean === hostile.inputs)})`)
    hostile.failures.forEach((f) => console.log(`  not clean: ${f}`))

    if (args.json) {
      const fullDiskKeptCheckpoint = disk.skipped ? null : disk.keptCheckpoint
      console.log(JSON.stringify({ kills: kills.kills, killsDuringCheckpointWrite: kills.duringWrite, killsAfterStage1: kills.afterStage1, resumedIdentical, fullDiskKeptCheckpoint, hostileInputs: hostile.inputs, hostileInputsClean: hostile.clean }))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
