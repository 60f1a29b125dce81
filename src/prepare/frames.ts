/**
 * The frames of `gavatar prepare`: a video decoded by ffmpeg (src/video/decode.ts) into a work
 * folder, or a folder of PNG / JPEG images taken in name order (--every and --max-frames apply to
 * both; --fps, --start and --end only to a video). Frames are RGB with the longer side `longSide`.
 */
import { Effect } from "effect"
import { mkdir, readdir, stat } from "node:fs/promises"
import { extname, join } from "node:path"
import type { Image8 } from "../io/png.ts"
import { readPng } from "../io/png.ts"
import { readJpeg } from "../io/jpeg.ts"
import type { FrameSelection } from "../video/decode.ts"
import { decodeVideo } from "../video/decode.ts"
import { PrepareError } from "./errors.ts"

export interface Frames {
  /** The video or folder. */
  readonly source: string
  readonly kind: "video" | "images"
  readonly images: ReadonlyArray<Image8>
  /** What each frame was: "frame 12 of the decoded selection" or the image's file name. */
  readonly labels: ReadonlyArray<string>
}

const IMAGE = new Set([".png", ".jpg", ".jpeg"])

/** Area-average resize of an RGB(A) image to RGB width x height (nearest pixel when enlarging). */
export const resizeImage = (image: Image8, width: number, height: number): Image8 => {
  const out = new Uint8Array(width * height * 3)
  const sx = image.width / width, sy = image.height / height
  for (let y = 0; y < height; y++) {
    const ya = Math.floor(y * sy), yb = Math.max(ya + 1, Math.min(image.height, Math.floor((y + 1) * sy)))
    for (let x = 0; x < width; x++) {
      const xa = Math.floor(x * sx), xb = Math.max(xa + 1, Math.min(image.width, Math.floor((x + 1) * sx)))
      const sum = [0, 0, 0]
      for (let v = ya; v < yb; v++) for (let u = xa; u < xb; u++) for (let c = 0; c < 3; c++) sum[c]! += image.data[(v * image.width + u) * image.channels + (image.channels === 1 ? 0 : c)]!
      const n = (yb - ya) * (xb - xa)
      for (let c = 0; c < 3; c++) out[3 * (y * width + x) + c] = Math.round(sum[c]! / n)
    }
  }
  return { width, height, channels: 3, data: out }
}

/** Width and height with the longer side `longSide` (never enlarged). */
export const fitLongSide = (width: number, height: number, longSide: number): readonly [number, number] => {
  const scale = Math.min(1, longSide / Math.max(width, height))
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))]
}

const readImage = (file: string) =>
  (extname(file).toLowerCase() === ".png" ? readPng(file) : readJpeg(file)).pipe(Effect.mapError((e) => new PrepareError({ file, reason: e.reason })))

const imageFolder = (folder: string, selection: FrameSelection, longSide: number) =>
  Effect.gen(function* () {
    if (selection.fps !== undefined || selection.start !== undefined || selection.end !== undefined)
      return yield* new PrepareError({ file: folder, reason: "--fps, --start and --end need a video; a folder of images takes --every and --max-frames" })
    const names = (yield* Effect.tryPromise({ try: () => readdir(folder), catch: (c) => new PrepareError({ file: folder, reason: `cannot list: ${String(c)}` }) }))
      .filter((n) => IMAGE.has(extname(n).toLowerCase()))
      .sort()
    const every = selection.every ?? 1
    const chosen = names.filter((_, i) => i % every === 0).slice(0, selection.maxFrames ?? names.length)
    if (chosen.length === 0) return yield* new PrepareError({ file: folder, reason: "holds no PNG or JPEG image" })
    const images: Image8[] = []
    for (const name of chosen) {
      const image = yield* readImage(join(folder, name))
      const first = images[0]
      const [w, h] = fitLongSide(image.width, image.height, longSide)
      if (first && (first.width !== w || first.height !== h))
        return yield* new PrepareError({ file: join(folder, name), reason: `is ${image.width}x${image.height}, unlike the first image (${chosen[0]}): every frame must have one size` })
      images.push(resizeImage(image, w, h))
    }
    return { source: folder, kind: "images" as const, images, labels: chosen }
  })

const video = (file: string, work: string, selection: FrameSelection, longSide: number) =>
  Effect.gen(function* () {
    const folder = join(work, "decoded")
    yield* Effect.tryPromise({ try: () => mkdir(folder, { recursive: true }), catch: (c) => new PrepareError({ file: folder, reason: `cannot create: ${String(c)}` }) })
    const files = yield* decodeVideo(file, folder, { ...selection, longSide }).pipe(Effect.mapError((e) => new PrepareError({ file: e.file, reason: e.reason })))
    const images: Image8[] = []
    for (const f of files) {
      const image = yield* readImage(f) // ffmpeg scaled it already; this drops the alpha channel
      images.push(resizeImage(image, image.width, image.height))
    }
    return { source: file, kind: "video" as const, images, labels: files.map((_, i) => `frame ${i}`) }
  })

/** The frames of a video file or an image folder. */
export const loadFrames = (source: string, work: string, selection: FrameSelection, longSide: number): Effect.Effect<Frames, PrepareError> =>
  Effect.gen(function* () {
    const info = yield* Effect.tryPromise({ try: () => stat(source), catch: () => new PrepareError({ file: source, reason: "not found" }) })
    return info.isDirectory() ? yield* imageFolder(source, selection, longSide) : yield* video(source, work, selection, longSide)
  })
