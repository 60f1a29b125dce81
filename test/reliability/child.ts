/** Runs test/reliability/readInChild.ts on a plan in a child process with a heap limit and a timeout. */
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { repoRoot } from "../io/paths.ts"
import type { PlanEntry, ReadOutcome } from "./readInChild.ts"

/** The child's V8 heap limit, and the peak resident size a reader may reach (node, tsx and Effect alone take about 160 MB). */
export const HEAP_MB = 256
export const MAX_RSS_MB = 320

export interface ChildRun {
  readonly outcomes: ReadonlyArray<ReadOutcome>
  /** Exit code and signal: a crash (out of memory) or the timeout (SIGTERM) shows here. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

export const readInChild = (dir: string, plan: ReadonlyArray<PlanEntry>, timeoutMs: number): Promise<ChildRun> => {
  const planFile = join(dir, "plan.json")
  writeFileSync(planFile, JSON.stringify(plan))
  const script = join(repoRoot, "test", "reliability", "readInChild.ts")
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, "--import", "tsx", script, planFile], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
  return new Promise((done) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      const outcomes = stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as ReadOutcome)
      done({ outcomes, code, signal, stderr })
    })
  )
}
