/**
 * Where gavatar finds ffmpeg, for encoding MP4 and decoding videos: first the static binary that the
 * npm package @ffmpeg-installer/ffmpeg ships inside node_modules for this platform (no download at
 * install or run time), then an `ffmpeg` on the PATH. `GAVATAR_FFMPEG` names a binary explicitly
 * (tests use it to point at a fake or at nothing).
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"

export type FfmpegSource = "env" | "bundled" | "path"

export interface Ffmpeg {
  readonly path: string
  readonly source: FfmpegSource
}

/** The bundled binary's path, when the package ships one for this platform. */
const bundledPath = (): string | undefined => {
  try {
    const installer = createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { readonly path?: string }
    return installer.path !== undefined && existsSync(installer.path) ? installer.path : undefined
  } catch {
    return undefined
  }
}

const runs = (path: string): boolean => spawnSync(path, ["-version"], { encoding: "utf8" }).status === 0

/** The ffmpeg to spawn, or undefined when none is bundled or on the PATH. */
export const findFfmpeg = (env: NodeJS.ProcessEnv = process.env): Ffmpeg | undefined => {
  const named = env["GAVATAR_FFMPEG"]
  if (named !== undefined && named !== "") return runs(named) ? { path: named, source: "env" } : undefined
  const bundled = bundledPath()
  if (bundled !== undefined && runs(bundled)) return { path: bundled, source: "bundled" }
  return runs("ffmpeg") ? { path: "ffmpeg", source: "path" } : undefined
}
