/** A tiny trained run for command tests: synthetic data (2 frames of 48x48 by default) and both stages of a tiny preset. */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { openBody } from "../../src/body/openBody.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { gavatar } from "./capture.ts"

export interface TinyRun {
  readonly data: string
  readonly run: string
}

export const makeTinyRun = async (dir: string, options: { readonly frames?: number; readonly size?: number; readonly querySize?: number } = {}): Promise<TinyRun> => {
  const data = join(dir, "data")
  const run = join(dir, "run")
  const preset = join(dir, "tiny.json")
  const size = options.size ?? 48
  await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: options.frames ?? 2, size, testFrames: 1, novelPoseFrames: 2, textureSize: 128 })))
  const querySize = options.querySize ?? 32
  writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 2, stage2: 1 }, poseFrom: 0 }))
  const trained = await gavatar("train", "--data", data, "--out", run, "--preset", preset)
  assert.equal(trained.code, 0, trained.err.join("\n"))
  return { data, run }
}
