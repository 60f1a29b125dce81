/** Command-line options of `npm run synth`, parsed and checked into SynthOptions plus the output folder. */
import { parseArgs } from "node:util"
import { DEFAULT_OPTIONS, type SynthOptions } from "./generate.ts"

export const USAGE = `usage: npm run synth -- --out DIR [options]
  --out DIR            output folder (train/, test/, novel_pose/, contact_sheet.png, overlays/, synth.json)
  --frames N           training frames (default ${DEFAULT_OPTIONS.frames})
  --size S             image width and height in pixels (default ${DEFAULT_OPTIONS.size})
  --test-frames N      novel-view frames (default ${DEFAULT_OPTIONS.testFrames})
  --novel-frames N     novel-pose frames (default ${DEFAULT_OPTIONS.novelPoseFrames})
  --noise DEG,CM       pose-fit noise: RMS rotation error per joint in degrees, RMS translation
                       error in centimetres, e.g. --noise 5,2 (default 0,0: the fit is the truth)
  --seed N             random seed (default ${DEFAULT_OPTIONS.seed})
  --supersample N      samples per pixel along each axis (default ${DEFAULT_OPTIONS.supersample})
  --texture N          baked texture side in texels (default ${DEFAULT_OPTIONS.textureSize})`

export type Parsed = { readonly _tag: "Run"; readonly out: string; readonly options: SynthOptions } | { readonly _tag: "Help" } | { readonly _tag: "Invalid"; readonly reason: string }

const integer = (name: string, text: string | undefined, fallback: number, min: number): number | string => {
  if (text === undefined) return fallback
  const n = Number(text)
  return Number.isInteger(n) && n >= min ? n : `--${name} must be an integer >= ${min}, got "${text}"`
}

const noiseLevel = (text: string | undefined): SynthOptions["noise"] | string => {
  if (text === undefined) return DEFAULT_OPTIONS.noise
  const parts = text.split(",").map(Number)
  const [degrees, centimetres] = parts
  return parts.length === 2 && parts.every((x) => Number.isFinite(x) && x >= 0) ? { degrees: degrees!, centimetres: centimetres! } : `--noise must be DEG,CM with two numbers >= 0, got "${text}"`
}

const STRING_OPTIONS = ["out", "frames", "size", "test-frames", "novel-frames", "noise", "seed", "supersample", "texture"]

export const parseOptions = (argv: ReadonlyArray<string>): Parsed => {
  let values
  try {
    values = parseArgs({
      args: argv.filter((a) => a !== "--"),
      options: { ...Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: "string" as const }])), help: { type: "boolean" as const } }
    }).values as Record<string, string | boolean | undefined>
  } catch (e) {
    return { _tag: "Invalid", reason: e instanceof Error ? e.message : String(e) }
  }
  if (values.help) return { _tag: "Help" }
  const text = (k: string) => values[k] as string | undefined
  const out = text("out")
  if (out === undefined) return { _tag: "Invalid", reason: "--out DIR is required" }
  const fields = {
    seed: integer("seed", text("seed"), DEFAULT_OPTIONS.seed, 0),
    frames: integer("frames", text("frames"), DEFAULT_OPTIONS.frames, 1),
    size: integer("size", text("size"), DEFAULT_OPTIONS.size, 16),
    testFrames: integer("test-frames", text("test-frames"), DEFAULT_OPTIONS.testFrames, 1),
    novelPoseFrames: integer("novel-frames", text("novel-frames"), DEFAULT_OPTIONS.novelPoseFrames, 1),
    supersample: integer("supersample", text("supersample"), DEFAULT_OPTIONS.supersample, 1),
    textureSize: integer("texture", text("texture"), DEFAULT_OPTIONS.textureSize, 16),
    noise: noiseLevel(text("noise"))
  }
  const problem = Object.values(fields).find((v): v is string => typeof v === "string")
  return problem !== undefined ? { _tag: "Invalid", reason: problem } : { _tag: "Run", out, options: fields as SynthOptions }
}
