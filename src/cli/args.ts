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
      const fps = Number(optional(v, "fps") ?? "15")
      if (!(Number.isFinite(fps) && fps > 0)) invalid(`--fps must be a positive number, got "${optional(v, "fps")}"`)
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
