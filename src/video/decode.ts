/**
 * Decoding a video into PNG frames with ffmpeg (src/video/ffmpeg.ts finds it: the binary bundled by
 * @ffmpeg-installer/ffmpeg, then the PATH). ffmpeg turns phone videos upright by itself (it applies
 * the rotation flag, or display matrix, before any filter), so the sizes below are those of the
 * upright picture. Frames are chosen by time (`start`, `end` in seconds), rate (`fps` frames per
 * second, or every `every`-th decoded frame) and count (`maxFrames`), then scaled so that the longer
 * side is `longSide` pixels (never enlarged), with square pixels.
 */
import { Data, Effect } from "effect"
import { spawn } from "node:child_process"
import { readdir } from "node:fs/promises"
import { join } from "node:path"
import { findFfmpeg } from "./ffmpeg.ts"

/** A video that cannot be decoded, or no ffmpeg to decode it with. */
export class VideoError extends Data.TaggedError("VideoError")<{
  readonly file: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

export interface FrameSelection {
  /** Seconds from the start of the video; default 0. */
  readonly start?: number
  /** Seconds from the start of the video; default the end. */
  readonly end?: number
  /** Frames per second to keep (ffmpeg's fps filter); default every frame (see `every`). */
  readonly fps?: number
  /** Keep every `every`-th decoded frame; default 1. Not with `fps`. */
  readonly every?: number
  /** At most this many frames; default all. */
  readonly maxFrames?: number
}

export interface DecodeOptions extends FrameSelection {
  /** The longer side of the written frames, pixels; a smaller video keeps its size. */
  readonly longSide: number
}

/** ffmpeg's filter chain: choose frames, then scale the longer side to longSide (even sizes, never up). */
export const filterChain = (options: DecodeOptions): string => {
  const pick = options.fps !== undefined ? [`fps=${options.fps}`] : (options.every ?? 1) > 1 ? [`select=not(mod(n\\,${options.every}))`] : []
  const side = Math.round(options.longSide)
  const scale = `scale=w='if(gte(iw,ih),min(iw,${side}),-2)':h='if(gte(iw,ih),-2,min(ih,${side}))':flags=area`
  return [...pick, scale, "format=rgb24"].join(",")
}

/** The arguments of one ffmpeg run writing DIR/%05d.png. */
export const decodeArguments = (file: string, folder: string, options: DecodeOptions): ReadonlyArray<string> => [
  "-hide_banner",
  "-loglevel",
  "error",
  "-nostdin",
  ...(options.start !== undefined && options.start > 0 ? ["-ss", String(options.start)] : []),
  "-i",
  file,
  ...(options.end !== undefined ? ["-t", String(options.end - (options.start ?? 0))] : []),
  "-an",
  "-vf",
  filterChain(options),
  "-vsync",
  "vfr",
  ...(options.maxFrames !== undefined ? ["-frames:v", String(options.maxFrames)] : []),
  "-start_number",
  "0",
  join(folder, "%05d.png")
]

/** The last meaningful line ffmpeg printed, e.g. "Invalid data found when processing input". */
const lastLine = (stderr: string): string => stderr.trim().split("\n").filter((l) => l.trim().length > 0).pop()?.trim() ?? "no message"

const run = (binary: string, args: ReadonlyArray<string>, file: string): Effect.Effect<void, VideoError> =>
  Effect.async<void, VideoError>((resume) => {
    const child = spawn(binary, [...args], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    child.on("error", (cause) => resume(Effect.fail(new VideoError({ file, reason: `cannot run ffmpeg (${binary}): ${cause.message}` }))))
    child.on("close", (code) =>
      resume(code === 0 ? Effect.void : Effect.fail(new VideoError({ file, reason: `not a video ffmpeg can read (${lastLine(stderr).replace(`${file}: `, "")})` })))
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/**
 * Decodes `file` into `folder`/00000.png, 00001.png, ... (the folder must exist) and returns the
 * written files in order. Fails with VideoError when no ffmpeg is found, when ffmpeg cannot read the
 * file, or when no frame falls in the selection.
 */
export const decodeVideo = (file: string, folder: string, options: DecodeOptions): Effect.Effect<ReadonlyArray<string>, VideoError> =>
  Effect.gen(function* () {
    const ffmpeg = findFfmpeg()
    if (!ffmpeg) return yield* new VideoError({ file, reason: "no ffmpeg: neither the one bundled by @ffmpeg-installer/ffmpeg nor one on the PATH runs (reinstall with npm ci, or install ffmpeg)" })
    yield* run(ffmpeg.path, decodeArguments(file, folder, options), file)
    const names = yield* Effect.tryPromise({ try: () => readdir(folder), catch: (cause) => new VideoError({ file: folder, reason: `cannot list decoded frames: ${String(cause)}` }) })
    const frames = names.filter((n) => /^\d{5}\.png$/.test(n)).sort().map((n) => join(folder, n))
    if (frames.length === 0) return yield* new VideoError({ file, reason: "no frame in the chosen time range (check --start / --end)" })
    return frames
  })
