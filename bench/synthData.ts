/**
 * Synthetic recordings for the benches, written once under out/bench/ and reused while their
 * synth.json records the same options (src/synth: generate.ts, write.ts).
 */
import { Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { BodyModel } from "../src/body/model.ts"
import type { SynthOptions } from "../src/synth/generate.ts"
import { synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"

const sameOptions = (dir: string, options: SynthOptions): boolean => {
  const file = join(dir, "synth.json")
  if (!existsSync(file)) return false
  const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>
  return Object.entries(options).every(([key, value]) => JSON.stringify(written[key]) === JSON.stringify(value))
}

/** The recording of `options` in `dir` (train/, test/, novel_pose/), made unless already there. */
export const ensureSynthetic = async (dir: string, body: BodyModel, options: SynthOptions): Promise<void> => {
  if (sameOptions(dir, options)) return
  const began = performance.now()
  await Effect.runPromise(writeSynthetic(dir, synthesize(body, options)))
  console.log(`synthetic data: ${dir} (${options.frames} training frames at ${options.size}x${options.size}, ${((performance.now() - began) / 1000).toFixed(1)} s)`)
}
