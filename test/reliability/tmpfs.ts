/**
 * Small tmpfs mounts for full-disk and read-only tests. Mounting needs root (or CAP_SYS_ADMIN);
 * where it is refused, `tmpfsUnavailable` gives the reason the tests skip with.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const mount = (dir: string, options: string) => spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { encoding: "utf8" })
const unmount = (dir: string) => spawnSync("umount", ["-l", dir])

/** False when a tmpfs can be mounted here, else why not. */
export const tmpfsUnavailable: string | false = (() => {
  if (process.platform !== "linux") return `tmpfs mounts are Linux only (this is ${process.platform})`
  const dir = mkdtempSync(join(tmpdir(), "gavatar-mount-probe-"))
  try {
    const result = mount(dir, "size=64k")
    if (result.error || result.status !== 0) return `mounting a tmpfs is not allowed here (${(result.error?.message ?? result.stderr).trim().split("\n")[0] || `exit ${result.status}`}); run as root to test full and read-only disks`
    unmount(dir)
    return false
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})()

export interface Tmpfs {
  readonly dir: string
  /** Remounts read-only or read-write. */
  readonly remount: (options: "ro" | "rw") => void
  readonly release: () => void
}

/** Mounts a tmpfs of `kilobytes` on a new folder. */
export const mountTmpfs = (kilobytes: number): Tmpfs => {
  const dir = mkdtempSync(join(tmpdir(), "gavatar-tmpfs-"))
  const result = mount(dir, `size=${kilobytes}k`)
  if (result.status !== 0) throw new Error(`mount failed: ${result.stderr}`)
  return {
    dir,
    remount: (options) => void spawnSync("mount", ["-o", `remount,${options}`, dir]),
    release: () => {
      unmount(dir)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Fills the file system holding `dir` (a file of zeros written until ENOSPC); returns its path. */
export const fillDisk = (dir: string): string => {
  const filler = join(dir, "filler")
  spawnSync("sh", ["-c", `cat /dev/zero > "${filler}" 2>/dev/null; true`])
  return filler
}
