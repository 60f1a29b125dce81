/**
 * Animation output: a trained avatar rendered through a render graph (graphs.render) for a sequence
 * of poses and cameras, written as PNG frames DIR/frames/00000.png ... and an H.264 MP4 made from
 * them by ffmpeg: the binary that the npm package @ffmpeg-installer/ffmpeg installs with gavatar
 * (nothing is downloaded), else an `ffmpeg` on the PATH, or the one GAVATAR_FFMPEG names
 * (src/video/ffmpeg.ts). Without any, the PNG frames are kept and the caller says so.
 */
import { Data, Effect } from "effect"
import { spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import { join } from "node:path"
import type { HostTensor, Sample } from "../data/dataset.ts"
import type { AnyGraph } from "../dsl/graph.ts"
import type { IoError } from "../io/errors.ts"
import { writePng } from "../io/png.ts"
import type { Ops } from "../ops/registry.ts"
import type { GraphError, ShapeMismatch } from "../runtime/errors.ts"
import { predict } from "../runtime/predict.ts"
import type { TrainedState } from "../runtime/state.ts"
import { findFfmpeg } from "../video/ffmpeg.ts"

/** ffmpeg ran but failed. */
export class VideoError extends Data.TaggedError("VideoError")<{ readonly file: string; readonly reason: string }> {
  override get message(): string {
    return `${this.file}: ffmpeg failed: ${this.reason}`
  }
}

export const framePattern = "%05d.png"
const frameName = (i: number): string => `${String(i).padStart(5, "0")}.png`

/** One pose of the sequence: SMPL pose [72], translation [3], world-to-camera extrinsic [16]. */
export interface AnimationFrame {
  readonly pose: ArrayLike<number>
  readonly transl: ArrayLike<number>
  readonly extrinsic: ArrayLike<number>
}

const toImage8 = (image: HostTensor) => {
  const [height, width] = image.shape as [number, number]
  const data = Uint8Array.from(image.data, (v) => Math.round(255 * Math.min(1, Math.max(0, v))))
  return { width, height, channels: 3 as const, data }
}

/** Renders every frame to `dir`/00000.png ...; returns the files. */
export const renderFrames = (
  graph: AnyGraph,
  state: TrainedState,
  betas: ArrayLike<number>,
  frames: ReadonlyArray<AnimationFrame>,
  dir: string
): Effect.Effect<ReadonlyArray<string>, GraphError | ShapeMismatch | IoError, Ops> =>
  Effect.gen(function* () {
    const files: string[] = [] // writePng makes the folder
    for (const [index, frame] of frames.entries()) {
      const sample: Sample = {
        index,
        tensors: {
          betas: { shape: [betas.length], data: Float32Array.from(betas) },
          pose: { shape: [72], data: Float32Array.from(frame.pose) },
          transl: { shape: [3], data: Float32Array.from(frame.transl) },
          extrinsic: { shape: [4, 4], data: Float32Array.from(frame.extrinsic) }
        }
      }
      const image = (yield* predict(graph, state, sample, ["image"]))["image"] as HostTensor
      const file = join(dir, frameName(index))
      yield* writePng(file, toImage8(image))
      files.push(file)
    }
    return files
  })

export type VideoResult = { readonly _tag: "Written"; readonly file: string } | { readonly _tag: "NoFfmpeg"; readonly reason: string }

/** ffmpeg's arguments: numbered PNGs in `dir` at `fps` to an H.264 MP4 (even width and height, yuv420p for players). */
export const ffmpegArguments = (dir: string, fps: number, file: string): ReadonlyArray<string> => [
  "-y", "-loglevel", "error", "-framerate", String(fps), "-i", join(dir, framePattern),
  "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white", "-c:v", "libx264", "-pix_fmt", "yuv420p", file
]

/** Why no ffmpeg was found, for the caller's one line. */
const noFfmpegReason = (env: NodeJS.ProcessEnv): string => {
  const named = env["GAVATAR_FFMPEG"]
  return named !== undefined && named !== ""
    ? `GAVATAR_FFMPEG=${named} does not run`
    : "no ffmpeg bundled for this platform by @ffmpeg-installer/ffmpeg and none on the PATH (GAVATAR_FFMPEG names one)"
}

/** Encodes the numbered PNGs of `dir` with the ffmpeg findFfmpeg finds; NoFfmpeg (not an error) when there is none. */
export const encodeVideo = (dir: string, fps: number, file: string, env: NodeJS.ProcessEnv = process.env): Effect.Effect<VideoResult, VideoError> =>
  Effect.suspend(() => {
    const ffmpeg = findFfmpeg(env)
    if (ffmpeg === undefined) return Effect.succeed<VideoResult>({ _tag: "NoFfmpeg", reason: noFfmpegReason(env) })
    const result = spawnSync(ffmpeg.path, ffmpegArguments(dir, fps, file), { encoding: "utf8" })
    if (result.error) return Effect.fail(new VideoError({ file, reason: result.error.message }))
    if (result.status !== 0) {
      rmSync(file, { force: true }) // no partial video left behind (a full disk, say)
      return Effect.fail(new VideoError({ file, reason: `exit code ${result.status}: ${(result.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}` }))
    }
    return Effect.succeed<VideoResult>({ _tag: "Written", file })
  })

/** Renders the frames to `dir`/frames and encodes `dir`/animation.mp4 (unless no ffmpeg is found). */
export const writeAnimation = (graph: AnyGraph, state: TrainedState, betas: ArrayLike<number>, frames: ReadonlyArray<AnimationFrame>, dir: string, fps = 15) =>
  Effect.gen(function* () {
    const frameDir = join(dir, "frames")
    const files = yield* renderFrames(graph, state, betas, frames, frameDir)
    const video = yield* encodeVideo(frameDir, fps, join(dir, "animation.mp4"))
    return { frames: files, frameDir, video }
  })
