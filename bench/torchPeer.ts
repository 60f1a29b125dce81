/**
 * The PyTorch peer of bench train (bench/peers/torch_step.py, a copy of the team's peer script): the
 * same feature convolutions, pose U-Net and decoder on the same number of points, with a minimal LBS
 * and no rasteriser or image losses, timed by PyTorch on 1 and 2 threads. Used for comparison only,
 * when a python3 with torch is on this machine (Debian: apt-get install python3-torch python3-numpy);
 * gavatar itself never needs Python.
 */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import type { AvatarSizes } from "../src/graphs/avatar/config.ts"

export interface PeerStep {
  readonly threads: number
  readonly medianMs: number
}

export type Peer = { readonly _tag: "Found"; readonly python: string } | { readonly _tag: "Missing"; readonly reason: string }

const script = join(import.meta.dirname, "peers", "torch_step.py")

/** The first python3 that imports torch: Debian's /usr/bin/python3 first (a pyenv shim on the PATH may lack it). */
export const findTorch = (): Peer => {
  for (const python of ["/usr/bin/python3", "python3"]) {
    const probe = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" })
    if (probe.status === 0) return { _tag: "Found", python }
  }
  return { _tag: "Missing", reason: "no python3 with torch here (apt-get install python3-torch python3-numpy)" }
}

/** Median ms of a PyTorch training step of `stage` at `sizes` on `points` decoded texels, per thread count. */
export const torchSteps = (python: string, stage: 1 | 2, sizes: AvatarSizes, points: number, threads: ReadonlyArray<number>): ReadonlyArray<PeerStep> | string => {
  const q = sizes.querySize
  const args = [script, "--json", "--skip-machine", "--q", String(q), "--stages", String(stage), "--batches", "1", "--threads", ...threads.map(String)]
  const network = ["--hidden", String(sizes.hidden), "--channels", String(sizes.channels), "--feature", String(sizes.featureSize), "--valid", String(points / (q * q))]
  const run = spawnSync(python, [...args, ...network], { encoding: "utf8", maxBuffer: 1 << 24 })
  if (run.status !== 0) return `torch_step.py failed (${run.status}): ${(run.stderr || run.stdout).trim().split("\n").at(-1) ?? ""}`
  return run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { threads: number; medianMs: number })
    .map(({ threads: t, medianMs }) => ({ threads: t, medianMs }))
}
