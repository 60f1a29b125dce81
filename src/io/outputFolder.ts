/**
 * Checking at the start of a command that its output folder can be written, so that an existing
 * file, a read-only folder or mount, or a full disk is one line before any work, not a trace after
 * it: the folder is created if needed, then a small probe file is written whole and deleted.
 */
import { Effect } from "effect"
import { statSync, unlinkSync } from "node:fs"
import { join } from "node:path"
import { commitTemporary, makeFolder, writeProblem, writeTemporary } from "./atomic.ts"
import { IoError } from "./errors.ts"

/** Bytes the probe writes: one page, which a full file system cannot give. */
const PROBE_BYTES = 4096

const isFile = (path: string): boolean => {
  try {
    return !statSync(path).isDirectory()
  } catch {
    return false
  }
}

export const checkOutputFolder = (folder: string): Effect.Effect<void, IoError> =>
  Effect.try({
    try: () => {
      if (isFile(folder)) throw Object.assign(new Error("not a folder"), { code: "EEXIST_FILE" })
      makeFolder(folder)
      const probe = join(folder, `.gavatar-write-probe-${process.pid}`)
      commitTemporary(writeTemporary(probe, [new Uint8Array(PROBE_BYTES)]), probe)
      unlinkSync(probe)
    },
    catch: (cause) => {
      const code = (cause as { code?: unknown }).code
      const reason = code === "EEXIST_FILE" ? "is a file, not a folder" : code === "ENOTDIR" || code === "EEXIST" ? "a part of the path is a file, not a folder" : writeProblem(cause, folder)
      return new IoError({ file: folder, reason: `output folder cannot be written: ${reason}` })
    }
  })
