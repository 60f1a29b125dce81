/**
 * Writing files so that a failure never leaves a partial one: the bytes go to `FILE.tmp-PID` in
 * the same folder, every byte written is checked (a short write is retried; ENOSPC fails), the
 * temporary file is fsynced when the write must be durable, and only then renamed over FILE (and
 * the folder fsynced, so the rename survives a crash). On any failure the temporary file is
 * deleted and FILE is left as it was. Temporary files of killed processes are removed by
 * `removeOrphanTemps`. Failures are IoErrors whose reason names the problem in words
 * ("no space left on /data (ext4)", "read-only file system /mnt (tmpfs)", "permission denied").
 */
import { Effect } from "effect"
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { IoError } from "./errors.ts"
import { describeDevice } from "./mounts.ts"

export interface WriteOptions {
  /** fsync the file before the rename and the folder after it (checkpoints, run.json). Default false. */
  readonly durable?: boolean
}

/** The reason an fs error gives for a write to `path`, in words. */
export const writeProblem = (cause: unknown, path: string): string => {
  const code = (cause as { code?: unknown } | null)?.code
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return `no space left on ${describeDevice(path)}`
    case "EROFS":
      return `read-only file system ${describeDevice(path)}`
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "ENOTDIR":
      return "a part of the path is a file, not a folder"
    case "EISDIR":
      return "is a folder"
    default:
      return `cannot write: ${cause instanceof Error ? cause.message : String(cause)}`
  }
}

export const temporaryName = (file: string): string => `${file}.tmp-${process.pid}`

/**
 * mkdir -p one level at a time, so that a failure carries its real cause (a recursive mkdirSync on a
 * read-only mount reports ENOENT, which is wrong).
 */
export const makeFolder = (folder: string): void => {
  const missing: string[] = []
  for (let at = resolve(folder); !existsSync(at); at = dirname(at)) {
    missing.unshift(at)
    if (dirname(at) === at) break
  }
  for (const level of missing) {
    try {
      mkdirSync(level)
    } catch (cause) {
      if ((cause as { code?: unknown }).code !== "EEXIST") throw cause
    }
  }
}

/** Writes every chunk whole to a new file (a write that writes nothing means the device is full). */
const writeAll = (fd: number, chunks: ReadonlyArray<Uint8Array>): void => {
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      const written = writeSync(fd, chunk, at, chunk.length - at)
      if (written <= 0) throw Object.assign(new Error("write wrote nothing"), { code: "ENOSPC" })
      at += written
    }
  }
}

const removeQuietly = (file: string): void => {
  try {
    unlinkSync(file)
  } catch {
    // Already gone, or the folder is unwritable: nothing more to clean.
  }
}

/** Writes a temporary file beside `file` (fsynced when durable) and returns its name; deletes it and throws on failure. */
export const writeTemporary = (file: string, chunks: ReadonlyArray<Uint8Array>, options: WriteOptions = {}): string => {
  makeFolder(dirname(file))
  const temp = temporaryName(file)
  let fd: number | undefined
  try {
    fd = openSync(temp, "w")
    writeAll(fd, chunks)
    if (options.durable) fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    return temp
  } catch (cause) {
    if (fd !== undefined) {
      try {
        closeSync(fd)
      } catch {
        // The write already failed; its error is the one to report.
      }
    }
    removeQuietly(temp)
    throw cause
  }
}

/** fsync a folder, so that a rename in it is on disk. */
export const syncFolder = (folder: string): void => {
  const fd = openSync(folder, "r")
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Renames a temporary file over `file` (then fsyncs the folder when durable); deletes the temporary file on failure. */
export const commitTemporary = (temp: string, file: string, options: WriteOptions = {}): void => {
  try {
    renameSync(temp, file)
  } catch (cause) {
    removeQuietly(temp)
    throw cause
  }
  if (options.durable) syncFolder(dirname(file))
}

/** The whole atomic write as an Effect: FILE holds all of `chunks`, or is unchanged and an IoError says why. */
export const writeFileAtomic = (file: string, chunks: ReadonlyArray<Uint8Array>, options: WriteOptions = {}): Effect.Effect<void, IoError> =>
  Effect.try({
    try: () => commitTemporary(writeTemporary(file, chunks, options), file, options),
    catch: (cause) => new IoError({ file, reason: writeProblem(cause, file) })
  })

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as { code?: unknown }).code === "EPERM"
  }
}

/** Deletes `NAME.tmp-PID` files in `folder` whose process is gone (left by a killed run); returns their names. */
export const removeOrphanTemps = (folder: string): ReadonlyArray<string> => {
  let names: ReadonlyArray<string>
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  const orphans = names.filter((name) => {
    const pid = /\.tmp-(\d+)$/.exec(name)?.[1]
    return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))
  })
  orphans.forEach((name) => removeQuietly(join(folder, name)))
  return orphans
}

/** Writes a file whole or not at all (not fsynced: images, arrays, reports). */
export const writeBytes = (file: string, bytes: Uint8Array): Effect.Effect<void, IoError> => writeFileAtomic(file, [bytes])
