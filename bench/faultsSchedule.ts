/**
 * Where `bench -- faults` kills: N kills spread over the whole training, both stages and the step
 * between them, by checkpoint write. Progress is read from the run folder, not the clock: each
 * stage's latest checkpoint file gets a new inode when a write ends (the temporary file is renamed
 * over it), so counting inode changes counts finished writes across kills and resumes. Kill i aims
 * at write g_i = 1 + floor(i * W / N) of the W writes of an uninterrupted run: even kills at a
 * seeded random moment between write g_i - 1 and write g_i (a fraction of that gap in the
 * uninterrupted run, measured from when the process got there, or from its start), odd kills the
 * moment the process's temporary file for write g_i appears (during the write). Whether a kill
 * really landed during a write is decided afterwards, by the temporary file it left.
 */
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import type { Rng } from "../src/math/rng.ts"

export const STAGES = ["stage1", "stage2"] as const

const latestId = (run: string, stage: string): bigint | undefined => {
  try {
    return statSync(join(run, stage, "checkpoint.gvck"), { bigint: true }).ino
  } catch {
    return undefined
  }
}

/** Finished checkpoint writes per stage since the watcher was made (a file missing between the two renames of a write is not a change). */
export interface WriteCounter {
  /** Looks at the folder again; returns the writes finished so far in each stage. */
  readonly poll: () => ReadonlyArray<number>
}

export const writeCounter = (run: string): WriteCounter => {
  const last = STAGES.map((stage) => latestId(run, stage))
  const counts = STAGES.map(() => 0)
  return {
    poll: () => {
      STAGES.forEach((stage, i) => {
        const id = latestId(run, stage)
        if (id !== undefined && id !== last[i]) {
          last[i] = id
          counts[i] = (counts[i] ?? 0) + 1
        }
      })
      return [...counts]
    }
  }
}

export const sum = (counts: ReadonlyArray<number>): number => counts.reduce((a, b) => a + b, 0)

/** A temporary checkpoint file of process `pid` in one of the stage folders. */
export const writingCheckpoint = (run: string, pid: number): boolean =>
  STAGES.some((stage) => {
    try {
      return readdirSync(join(run, stage)).includes(`checkpoint.gvck.tmp-${pid}`)
    } catch {
      return false
    }
  })

export type KillTarget = { readonly _tag: "Random"; readonly write: number; readonly fraction: number } | { readonly _tag: "DuringWrite"; readonly write: number }

/** The N kill targets over W writes (see the header); `fraction` of the gap for the random ones, seeded. */
export const killTargets = (kills: number, writes: number, rng: Rng): ReadonlyArray<KillTarget> =>
  Array.from({ length: kills }, (_, i) => {
    const write = 1 + Math.floor((i * writes) / kills)
    return i % 2 === 0 ? { _tag: "Random", write, fraction: rng.uniform() } : { _tag: "DuringWrite", write }
  })

/** The uninterrupted run's write times: ms from the process's start to the end of each write. */
export type WriteTimes = ReadonlyArray<number>

/**
 * The kill decision for one process, polled every few ms: `done` writes finished before it
 * started, `target` (moved past `done` when an earlier kill went further than aimed).
 */
export const killWhen = (run: string, target: KillTarget, done: number, times: WriteTimes) => {
  const counter = writeCounter(run)
  const write = Math.max(target.write, done + 1)
  const readyAtStart = done >= write - 1
  let readyAt: number | undefined = readyAtStart ? 0 : undefined
  const gap = readyAtStart ? (times[0] ?? 0) : (times[write - 1] ?? 0) - (times[write - 2] ?? 0)
  return {
    write,
    gap,
    counter,
    shouldKill: (pid: number, ms: number): boolean => {
      const finished = done + sum(counter.poll())
      if (readyAt === undefined && finished >= write - 1) readyAt = ms
      if (readyAt === undefined) return false
      return target._tag === "Random" ? ms - readyAt >= target.fraction * gap : writingCheckpoint(run, pid)
    }
  }
}
