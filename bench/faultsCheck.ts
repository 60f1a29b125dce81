/**
 * The pieces of `bench -- faults`: a gavatar training process that can be killed at a chosen
 * moment, the comparison of two run folders' final checkpoints (every array bit for bit, step and
 * loss history), the full-disk run on a tmpfs, and the hostile inputs of test/reliability read in a
 * bounded child process.
 */
import { Effect, Option } from "effect"
import { spawn } from "node:child_process"
import { readdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { checkpointFile, readCheckpoint } from "../src/runtime/checkpointFiles.ts"
import { MAX_RSS_MB, readInChild } from "../test/reliability/child.ts"
import { hostileCases, writeCase } from "../test/reliability/hostile.ts"
import { mountTmpfs, tmpfsUnavailable } from "../test/reliability/tmpfs.ts"

const gavatarBin = join(import.meta.dirname, "..", "bin", "gavatar.js")

export interface TrainOutcome {
  readonly pid: number | undefined
  /** Exit code, or null when killed. */
  readonly code: number | null
  readonly killed: boolean
  readonly stderr: string
  readonly seconds: number
}

/** Polled every 2 ms while the process runs (its pid, ms since it started): true kills it with SIGKILL. */
export type KillPoll = (pid: number, ms: number) => boolean

/** `gavatar train ARGS`, killed with SIGKILL the first time `shouldKill` says so (never when absent). */
export const trainProcess = (args: ReadonlyArray<string>, shouldKill?: KillPoll): Promise<TrainOutcome> =>
  new Promise((done) => {
    const began = performance.now()
    const child = spawn(process.execPath, [gavatarBin, "train", ...args], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    let killed = false
    const poll = () => {
      if (!killed && child.pid !== undefined && child.exitCode === null && shouldKill?.(child.pid, performance.now() - began)) killed = child.kill("SIGKILL")
    }
    const timer = setInterval(poll, 2)
    child.on("close", (code) => {
      clearInterval(timer)
      done({ pid: child.pid, code, killed, stderr, seconds: (performance.now() - began) / 1000 })
    })
  })

const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0

/** The stage folders' final checkpoints of two runs agree bit for bit (arrays, step, loss history); else what differs. */
export const compareRuns = (a: string, b: string, stages: ReadonlyArray<string>): Promise<string | undefined> =>
  Effect.runPromise(
    Effect.gen(function* () {
      for (const stage of stages) {
        const left = yield* readCheckpoint(checkpointFile(join(a, stage)))
        const right = yield* readCheckpoint(checkpointFile(join(b, stage)))
        if (Option.isNone(left) || Option.isNone(right)) return `${stage}: a checkpoint is missing`
        const [x, y] = [left.value, right.value]
        if (x.header.step !== y.header.step) return `${stage}: step ${x.header.step} vs ${y.header.step}`
        if (JSON.stringify(x.header.history) !== JSON.stringify(y.header.history)) return `${stage}: loss histories differ`
        for (const [key, entry] of x.arrays) {
          const other = y.arrays.get(key)
          if (!other || !sameBytes(entry.data, other.data)) return `${stage}: array ${key} differs`
        }
      }
      return undefined
    }).pipe(Effect.catchAll((e) => Effect.succeed(e.message)))
  )

/** Temporary files left anywhere under `dir`. */
export const temporaryFiles = (dir: string): ReadonlyArray<string> => {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => /\.tmp-\d+$/.test(name))
  } catch {
    return []
  }
}

export interface FullDiskOutcome {
  /** Why it was not run, when a tmpfs cannot be mounted here. */
  readonly skipped?: string
  readonly keptCheckpoint: boolean
  readonly line: string
}

/**
 * Training on a tmpfs of `kilobytes`: room for two stage-1 checkpoints but not a third write.
 * Passes when the run exits 1 with one line "no space left on ... the checkpoint of step N is kept",
 * that checkpoint reads back whole with step N, and no temporary file is left.
 */
export const fullDiskRun = async (trainArgs: (out: string) => ReadonlyArray<string>, kilobytes: number): Promise<FullDiskOutcome> => {
  if (tmpfsUnavailable) return { skipped: tmpfsUnavailable, keptCheckpoint: false, line: "" }
  const disk = mountTmpfs(kilobytes)
  try {
    const out = join(disk.dir, "run")
    const result = await trainProcess(trainArgs(out))
    const lines = result.stderr.split("\n").filter((l) => l.startsWith("gavatar train:"))
    const line = lines[0] ?? ""
    const step = Number(/the checkpoint of step (\d+) is kept$/.exec(line)?.[1] ?? Number.NaN)
    const kept = await Effect.runPromise(Effect.either(readCheckpoint(checkpointFile(join(out, "stage1")))))
    const keptStep = kept._tag === "Right" && Option.isSome(kept.right) ? kept.right.value.header.step : undefined
    const keptCheckpoint = result.code === 1 && lines.length === 1 && /^gavatar train: no space left on /.test(line) && keptStep === step && temporaryFiles(out).length === 0
    return { keptCheckpoint, line }
  } finally {
    disk.release()
  }
}

/** Every hostile input of test/reliability/hostile.ts, read in one bounded child process: how many gave their expected answer within bounds. */
export const hostileRun = async (dir: string): Promise<{ readonly inputs: number; readonly clean: number; readonly failures: ReadonlyArray<string> }> => {
  const plan = hostileCases.map((c) => ({ name: c.name, reader: c.reader, file: writeCase(dir, c), ...(c.argument === undefined ? {} : { argument: c.argument }) }))
  const run = await readInChild(dir, plan, 120_000)
  const failures: string[] = []
  hostileCases.forEach((c, i) => {
    const o = run.outcomes[i]
    const answered = o !== undefined && (c.expect === "reads" ? o.ok : !o.ok && c.expect.test(o.message) && !o.message.includes("\n"))
    if (!answered || o.maxRssMB >= MAX_RSS_MB) failures.push(`${c.name}: ${o ? `${o.message.slice(0, 120)} (${o.maxRssMB.toFixed(0)} MB)` : `no answer (the reader ended: ${run.signal ?? run.code})`}`)
  })
  rmSync(dir, { recursive: true, force: true })
  return { inputs: hostileCases.length, clean: hostileCases.length - failures.length, failures }
}
