/**
 * Command-line parsing of `gavatar`: each command's arguments become a typed value, a request for
 * help, or a one-line reason they are wrong (main prints it with the usage and exits with 2).
 */
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import type { BodyChoice } from "../body/choice.ts"
import type { FrameSelection } from "../avatar/datasets.ts"
import type { LpipsFiles } from "../avatar/lpips.ts"
import { lpipsFiles } from "../avatar/lpips.ts"
import type { BackendName } from "../runtime/backend.ts"
import type { PresetName } from "../graphs/avatar/presets.ts"
import { isPresetName } from "../graphs/avatar/presets.ts"
import type { CameraPlacement, Intrinsics } from "./camera.ts"
import { parseCamera, parseIntrinsics, parseSize } from "./camera.ts"

export type Parsed<A> = { readonly _tag: "Help" } | { readonly _tag: "Invalid"; readonly reason: string } | { readonly _tag: "Ok"; readonly value: A }

export interface TrainArgs {
  readonly data: string
  readonly out: string
  /** quick, paper or a preset JSON file; undefined: the run's own preset when resuming, else quick. */
  readonly preset: PresetName | `${string}.json` | undefined
  readonly stages: ReadonlyArray<1 | 2>
  /** Undefined: the run's own body when resuming, else the open body. */
  readonly body: BodyChoice | undefined
  /** InstantAvatar subjects: the training frames; undefined: the run's own when resuming, else all. */
  readonly frames: FrameSelection | undefined
  /** --lpips FILE once (both networks) or twice (AlexNet, then the linear heads); none: LPIPS off. */
  readonly lpips: LpipsFiles | undefined
  readonly backend: BackendName
}

export interface EvalArgs {
  readonly run: string
  readonly split: string
  readonly out: string
  /** --lpips FILE as for train: LPIPS is scored only with the user's weights. */
  readonly lpips: LpipsFiles | undefined
  readonly backend: BackendName
}

export interface RenderArgs {
  readonly run: string
  readonly poses: string
  readonly out: string
  readonly camera: CameraPlacement
  readonly intrinsics: Intrinsics | undefined
  readonly size: { readonly width: number; readonly height: number } | undefined
  readonly fps: number
  readonly backend: BackendName
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"]
type Values = Readonly<Record<string, string | boolean | ReadonlyArray<string> | undefined>>

class Invalid extends Error {}
const invalid = (reason: string): never => {
  throw new Invalid(reason)
}

const common = { help: { type: "boolean", short: "h" }, backend: { type: "string" } } as const

/** parseArgs without positionals; unknown options and missing values become Invalid. */
const parse = <A>(argv: ReadonlyArray<string>, options: Options, build: (values: Values) => A): Parsed<A> => {
  try {
    const { values } = parseArgs({ args: [...argv], options: { ...common, ...options }, strict: true, allowPositionals: false })
    if (values["help"] === true) return { _tag: "Help" }
    return { _tag: "Ok", value: build(values as Values) }
  } catch (error) {
    if (error instanceof Invalid) return { _tag: "Invalid", reason: error.message }
    const code = (error as { code?: string }).code
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) return { _tag: "Invalid", reason: (error as Error).message.split("\n")[0] as string }
    throw error
  }
}

const required = (values: Values, name: string): string => {
  const value = values[name]
  return typeof value === "string" && value.length > 0 ? value : invalid(`--${name} is required`)
}

const optional = (values: Values, name: string): string | undefined => {
  const value = values[name]
  return typeof value === "string" ? value : undefined
}

const backendOf = (values: Values): BackendName => {
  const value = optional(values, "backend") ?? "wasm"
  return value === "wasm" || value === "cpu" || value === "webgpu" ? value : invalid(`--backend must be wasm, cpu or webgpu, got "${value}"`)
}

const stagesOf = (value: string): ReadonlyArray<1 | 2> =>
  value === "both" ? [1, 2] : value === "1" ? [1] : value === "2" ? [2] : invalid(`--stage must be 1, 2 or both, got "${value}"`)

/** --body open, or --body SMPL.npz|SMPL.pkl with --uv UV.obj (paths made absolute for run.json). */
const bodyOf = (values: Values): BodyChoice | undefined => {
  const body = optional(values, "body")
  const uv = optional(values, "uv")
  if (body === undefined) return uv === undefined ? undefined : invalid("--uv needs --body (an SMPL .npz or .pkl file)")
  if (body === "open") return uv === undefined ? { _tag: "Open" } : invalid("--uv goes with an SMPL --body, not the open body")
  if (!body.endsWith(".npz") && !body.endsWith(".pkl")) invalid(`--body must be open or an SMPL .npz or .pkl file, got "${body}"`)
  if (uv === undefined || !uv.endsWith(".obj")) return invalid("an SMPL --body needs --uv UV.obj (the SMPL UV layout)")
  return { _tag: "Smpl", file: resolve(body), uv: resolve(uv) }
}

/** --frames START:END:STEP, whole numbers, START <= END, STEP >= 1. */
const framesOf = (text: string | undefined): FrameSelection | undefined => {
  if (text === undefined) return undefined
  const match = /^(\d+):(\d+):(\d+)$/.exec(text)
  const [start, end, step] = [match?.[1], match?.[2], match?.[3]].map(Number) as [number, number, number]
  return match && start <= end && step >= 1 ? { start, end, step } : invalid(`--frames must be START:END:STEP with START <= END and STEP >= 1 (e.g. 0:445:4), got "${text}"`)
}

const lpipsOf = (values: Values): LpipsFiles | undefined => {
  const paths = (values["lpips"] ?? []) as ReadonlyArray<string>
  return paths.length > 2 ? invalid(`--lpips takes one file (both networks) or two (AlexNet, then the linear heads), got ${paths.length}`) : lpipsFiles(paths)
}

export const parseTrain = (argv: ReadonlyArray<string>): Parsed<TrainArgs> =>
  parse(argv, { data: { type: "string" }, out: { type: "string" }, preset: { type: "string" }, stage: { type: "string" }, body: { type: "string" }, uv: { type: "string" }, frames: { type: "string" }, lpips: { type: "string", multiple: true } }, (v) => {
    const preset = optional(v, "preset")
    if (preset !== undefined && !isPresetName(preset) && !preset.endsWith(".json")) invalid(`--preset must be quick, paper or a FILE.json, got "${preset}"`)
    return { data: required(v, "data"), out: required(v, "out"), preset: preset as TrainArgs["preset"], stages: stagesOf(optional(v, "stage") ?? "both"), body: bodyOf(v), frames: framesOf(optional(v, "frames")), lpips: lpipsOf(v), backend: backendOf(v) }
  })

export const parseEval = (argv: ReadonlyArray<string>): Parsed<EvalArgs> =>
  parse(argv, { run: { type: "string" }, split: { type: "string" }, out: { type: "string" }, lpips: { type: "string", multiple: true } }, (v) => ({
    run: required(v, "run"),
    split: required(v, "split"),
    out: required(v, "out"),
    lpips: lpipsOf(v),
    backend: backendOf(v)
  }))

export const parseRender = (argv: ReadonlyArray<string>): Parsed<RenderArgs> =>
  parse(
    argv,
    { run: { type: "string" }, poses: { type: "string" }, out: { type: "string" }, camera: { type: "string" }, intrinsics: { type: "string" }, size: { type: "string" }, fps: { type: "string" } },
    (v) => {
      const fps = fpsOf(v, 15)
      const intrinsics = optional(v, "intrinsics")
      const size = optional(v, "size")
      if (intrinsics !== undefined && size !== undefined) invalid("give --intrinsics or --size, not both")
      const check = <A>(result: A | string): A => (typeof result === "string" ? invalid(result) : result)
      return {
        run: required(v, "run"),
        poses: required(v, "poses"),
        out: required(v, "out"),
        camera: check(parseCamera(optional(v, "camera") ?? "train")),
        intrinsics: intrinsics === undefined ? undefined : check(parseIntrinsics(intrinsics)),
        size: size === undefined ? undefined : check(parseSize(size)),
        fps,
        backend: backendOf(v)
      }
    }
  )

/** A splat file format of `gavatar export`. */
export type SplatFormat = { readonly _tag: "Ply" } | { readonly _tag: "Splat" } | { readonly _tag: "Spz" }

export type ExportFormat = SplatFormat | { readonly _tag: "Anim" } | { readonly _tag: "Web" }

export interface ExportArgs {
  readonly run: string
  readonly out: string
  readonly format: ExportFormat
  /** The motion to pose the avatar with (undefined: the run's training poses); web: every --poses given. */
  readonly poses: string | undefined
  readonly motions: ReadonlyArray<string>
  /** web: anim files for the exact mode. */
  readonly anims: ReadonlyArray<string>
  /** The frame of the motion (default 0). */
  readonly frame: number
  /** Gaussians in canonical space instead of posed. */
  readonly canonical: boolean
  /** .ply: write the 45 f_rest zeros. */
  readonly shRest: boolean
  /** Frames per second motions with a rate of their own (AMASS, BVH) are resampled to. */
  readonly fps: number
  readonly backend: BackendName
}

const formats: Readonly<Record<string, ExportFormat>> = { ply: { _tag: "Ply" }, splat: { _tag: "Splat" }, spz: { _tag: "Spz" }, anim: { _tag: "Anim" }, web: { _tag: "Web" } }

/** --format NAME, else the extension of --out. */
const formatOf = (format: string | undefined, out: string): ExportFormat => {
  const name = format ?? /\.([a-z]+)$/.exec(out)?.[1] ?? ""
  const found = formats[name]
  return found ?? invalid(format === undefined ? `--out must end in .ply, .splat, .spz or .anim (or give --format), got "${out}"` : `--format must be ply, splat, spz, anim or web, got "${format}"`)
}

const fpsOf = (values: Values, fallback: number): number => {
  const fps = Number(optional(values, "fps") ?? fallback)
  return Number.isFinite(fps) && fps > 0 ? fps : invalid(`--fps must be a positive number, got "${optional(values, "fps")}"`)
}

const wholeNumber = (values: Values, name: string, fallback: number): number => {
  const text = optional(values, name)
  const value = Number(text ?? fallback)
  return Number.isInteger(value) && value >= 0 ? value : invalid(`--${name} must be a whole number >= 0, got "${text}"`)
}

export const parseExport = (argv: ReadonlyArray<string>): Parsed<ExportArgs> =>
  parse(
    argv,
    { run: { type: "string" }, out: { type: "string" }, format: { type: "string" }, poses: { type: "string", multiple: true }, anim: { type: "string", multiple: true }, frame: { type: "string" }, canonical: { type: "boolean" }, "sh-rest": { type: "boolean" }, fps: { type: "string" } },
    (v) => {
      const out = required(v, "out")
      const format = formatOf(optional(v, "format"), out)
      const motions = (v["poses"] ?? []) as ReadonlyArray<string>
      const anims = (v["anim"] ?? []) as ReadonlyArray<string>
      if (format._tag !== "Web" && motions.length > 1) invalid("--poses is given once, except with --format web")
      if (format._tag !== "Web" && anims.length > 0) invalid("--anim goes with --format web")
      return {
        run: required(v, "run"),
        out,
        format,
        poses: motions[0],
        motions,
        anims,
        frame: wholeNumber(v, "frame", 0),
        canonical: v["canonical"] === true,
        shRest: v["sh-rest"] === true,
        fps: fpsOf(v, 30),
        backend: backendOf(v)
      }
    }
  )

export interface ViewArgs {
  readonly run: string
  /** Motion files offered besides the training poses. */
  readonly poses: ReadonlyArray<string>
  /** Anim files (gavatar export --format anim) for the exact mode. */
  readonly anims: ReadonlyArray<string>
  readonly port: number
  readonly host: string
  readonly fps: number
  readonly backend: BackendName
}

export const parseView = (argv: ReadonlyArray<string>): Parsed<ViewArgs> =>
  parse(argv, { run: { type: "string" }, poses: { type: "string", multiple: true }, anim: { type: "string", multiple: true }, port: { type: "string" }, host: { type: "string" }, fps: { type: "string" } }, (v) => {
    const port = Number(optional(v, "port") ?? "8080")
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) invalid(`--port must be a whole number from 0 to 65535, got "${optional(v, "port")}"`)
    return {
      run: required(v, "run"),
      poses: (v["poses"] ?? []) as ReadonlyArray<string>,
      anims: (v["anim"] ?? []) as ReadonlyArray<string>,
      port,
      host: optional(v, "host") ?? "127.0.0.1",
      fps: fpsOf(v, 30),
      backend: backendOf(v)
    }
  })
