/**
 * `gavatar prepare VIDEO|FOLDER --out DIR`: arguments (one positional source and options) and the
 * command, which runs src/prepare's pipeline and prints where the dataset went.
 */
import { Effect } from "effect"
import { parseArgs } from "node:util"
import { graphs } from "../graphs/index.ts"
import { fitSettings } from "../graphs/fit/settings.ts"
import type { BackendName } from "../runtime/backend.ts"
import { prepareOptions } from "../prepare/options.ts"
import type { PrepareOptions } from "../prepare/options.ts"
import { prepare as runPrepare } from "../prepare/pipeline.ts"
import type { Parsed } from "./args.ts"

export interface PrepareArgs {
  readonly source: string
  readonly out: string
  readonly options: PrepareOptions
  /** Second-stage fit steps; undefined: the fit's default. */
  readonly steps: number | undefined
  readonly backend: BackendName
}

class Invalid extends Error {}

const numberOf = (values: Record<string, unknown>, name: string, integer: boolean): number | undefined => {
  const text = values[name]
  if (typeof text !== "string") return undefined
  const n = Number(text)
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new Invalid(`--${name} must be a ${integer ? "whole number" : "number"} >= 0, got "${text}"`)
  return n
}

const STRING_OPTIONS = ["out", "fps", "every", "start", "end", "max-frames", "size", "fov", "focal", "holdout", "steps", "backend"] as const

export const parsePrepare = (argv: ReadonlyArray<string>): Parsed<PrepareArgs> => {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: "string" as const }])), crop: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true
    })
    if (values.help === true) return { _tag: "Help" }
    if (positionals.length !== 1) throw new Invalid(positionals.length === 0 ? "give the video file or image folder to prepare" : `one video or folder at a time, got ${positionals.length}`)
    const v = values as Record<string, unknown>
    const out = v["out"]
    if (typeof out !== "string" || out.length === 0) throw new Invalid("--out is required")
    if (v["fps"] !== undefined && v["every"] !== undefined) throw new Invalid("give --fps or --every, not both")
    const backend = (v["backend"] as string | undefined) ?? "wasm"
    if (backend !== "wasm" && backend !== "cpu" && backend !== "webgpu") throw new Invalid(`--backend must be wasm, cpu or webgpu, got "${backend}"`)
    const positive = (name: string, integer: boolean) => {
      const n = numberOf(v, name, integer)
      if (n === 0) throw new Invalid(`--${name} must be above 0`)
      return n
    }
    const start = numberOf(v, "start", false)
    const end = positive("end", false)
    if (start !== undefined && end !== undefined && end <= start) throw new Invalid("--end must come after --start")
    const options = prepareOptions({
      fps: positive("fps", false),
      every: positive("every", true),
      start,
      end,
      maxFrames: positive("max-frames", true),
      size: positive("size", true),
      crop: values.crop === true,
      fov: positive("fov", false),
      focal: positive("focal", false),
      holdout: numberOf(v, "holdout", true)
    })
    return { _tag: "Ok", value: { source: positionals[0]!, out, options, steps: positive("steps", true), backend } }
  } catch (error) {
    if (error instanceof Invalid) return { _tag: "Invalid", reason: error.message }
    const code = (error as { code?: string }).code
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) return { _tag: "Invalid", reason: (error as Error).message.split("\n")[0] as string }
    throw error
  }
}

export const prepare = (args: PrepareArgs) =>
  Effect.gen(function* () {
    const builder = args.steps === undefined ? graphs.fit : graphs.fit.with({ settings: fitSettings({ steps: args.steps }) })
    const done = yield* runPrepare(args.source, args.out, args.options, builder)
    console.log(`prepared ${done.frames} frames (${done.dropped} dropped) in ${done.seconds.toFixed(1)} s: ${done.out}/train, ${done.out}/test, ${done.out}/prepare.json, ${done.out}/overlays/`)
    console.log(`next: gavatar train --data ${done.out} --out RUN`)
    return done
  })
