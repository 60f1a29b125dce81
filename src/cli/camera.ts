/**
 * The camera syntax of `gavatar render` (see RENDER_USAGE) and its resolution into intrinsics, an
 * image size and one extrinsic per frame, from the run's training camera or a camera file.
 */
import type { FitCamera } from "../graphs/fit/fit.ts"
import { Effect } from "effect"
import { orbitExtrinsic, scaleIntrinsic } from "../avatar/cameras.ts"
import type { Motion } from "../motion/motion.ts"
import type { RunInfo } from "../avatar/runFolder.ts"
import { checkedArray, checkedCamera } from "../data/arrays.ts"
import { fromIoError } from "../data/recording.ts"
import { readNpz } from "../io/npz.ts"
import type { DatasetError } from "../data/errors.ts"

export type CameraPlacement =
  | { readonly _tag: "Train" }
  | { readonly _tag: "Orbit"; readonly degrees: number }
  | { readonly _tag: "Turntable" }
  | { readonly _tag: "Follow" }
  | { readonly _tag: "File"; readonly file: string }

/** A pinhole camera's intrinsics in pixels and its image size: the same record graphs.fit takes. */
export type Intrinsics = FitCamera

/** A placement, or why the text is not one. */
export const parseCamera = (text: string): CameraPlacement | string => {
  if (text === "train") return { _tag: "Train" }
  if (text === "turntable") return { _tag: "Turntable" }
  if (text === "follow") return { _tag: "Follow" }
  if (text.startsWith("orbit:")) {
    const degrees = Number(text.slice("orbit:".length))
    return text.length > "orbit:".length && Number.isFinite(degrees) ? { _tag: "Orbit", degrees } : `--camera orbit:DEG needs a number of degrees, got "${text}"`
  }
  if (text.endsWith(".npz")) return { _tag: "File", file: text }
  return `--camera must be train, orbit:DEG, turntable, follow or a FILE.npz, got "${text}"`
}

export const parseIntrinsics = (text: string): Intrinsics | string => {
  const numbers = text.split(",").map(Number)
  const [fx, fy, cx, cy, width, height] = numbers as [number, number, number, number, number, number]
  const ok = numbers.length === 6 && numbers.every(Number.isFinite) && fx > 0 && fy > 0 && Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0
  return ok ? { fx, fy, cx, cy, width, height } : `--intrinsics must be fx,fy,cx,cy,W,H (positive focal lengths, whole W and H), got "${text}"`
}

export const parseSize = (text: string): { readonly width: number; readonly height: number } | string => {
  const match = /^(\d+)x(\d+)$/.exec(text)
  const width = Number(match?.[1])
  const height = Number(match?.[2])
  return match && width > 0 && height > 0 ? { width, height } : `--size must be WxH in pixels (e.g. 512x512), got "${text}"`
}

export interface ResolvedCamera {
  /** [9] OpenCV intrinsics for the rendered size. */
  readonly intrinsic: ArrayLike<number>
  readonly width: number
  readonly height: number
  /** One world-to-camera [16] per frame of the sequence. */
  readonly extrinsics: ReadonlyArray<ArrayLike<number>>
}

const fromFile = (file: string) =>
  Effect.gen(function* () {
    const npz = yield* Effect.mapError(readNpz(file), fromIoError)
    const { intrinsic, extrinsic } = yield* checkedCamera(file, npz.get)
    if (!npz.has("width") || !npz.has("height")) return { intrinsic, extrinsic, size: undefined }
    const width = (yield* checkedArray(file, npz.get, "width", [[], [1]])).data[0] as number
    const height = (yield* checkedArray(file, npz.get, "height", [[], [1]])).data[0] as number
    return { intrinsic, extrinsic, size: { width, height } }
  })

/** The camera moved along with the subject: E . [I | -(t - t0)], so the root keeps its place in the image. */
const following = (extrinsic: ArrayLike<number>, transl: ArrayLike<number>, first: ArrayLike<number>): Float64Array => {
  const moved = Float64Array.from(extrinsic)
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) moved[4 * r + 3] = (moved[4 * r + 3] as number) - (extrinsic[4 * r + c] as number) * ((transl[c] as number) - (first[c] as number))
  return moved
}

export const resolveCamera = (
  placement: CameraPlacement,
  intrinsics: Intrinsics | undefined,
  size: { readonly width: number; readonly height: number } | undefined,
  info: RunInfo,
  sequence: Motion
): Effect.Effect<ResolvedCamera, DatasetError> =>
  Effect.gen(function* () {
    const file = placement._tag === "File" ? yield* fromFile(placement.file) : undefined
    const base = { intrinsic: file?.intrinsic ?? info.subject.intrinsic, ...(file?.size ?? { width: info.subject.width, height: info.subject.height }) }
    const extrinsic = file?.extrinsic ?? info.extrinsic
    const pivot = sequence.transl.subarray(0, 3)
    const extrinsics = Array.from({ length: sequence.frames }, (_, i) =>
      placement._tag === "Orbit"
        ? orbitExtrinsic(extrinsic, pivot, placement.degrees)
        : placement._tag === "Turntable"
          ? orbitExtrinsic(extrinsic, pivot, (360 * i) / sequence.frames)
          : placement._tag === "Follow"
            ? following(extrinsic, sequence.transl.subarray(3 * i, 3 * i + 3), pivot)
            : extrinsic
    )
    if (intrinsics) {
      const { fx, fy, cx, cy, width, height } = intrinsics
      return { intrinsic: [fx, 0, cx, 0, fy, cy, 0, 0, 1], width, height, extrinsics }
    }
    if (size) return { intrinsic: scaleIntrinsic(base.intrinsic, base, size), ...size, extrinsics }
    return { ...base, extrinsics }
  })
