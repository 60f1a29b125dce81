/**
 * Which mounted file system a path is on, for messages such as "no space left on /data (ext4)":
 * the longest mount point in /proc/self/mounts that holds the path's nearest existing folder. On
 * systems without /proc the folder itself names the place.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs"
import { dirname, resolve, sep } from "node:path"

interface Mount {
  readonly point: string
  readonly type: string
}

/** /proc/self/mounts escapes spaces and other bytes in octal (\040). */
const unescape = (field: string): string => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))

const mounts = (): ReadonlyArray<Mount> => {
  try {
    return readFileSync("/proc/self/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .filter((fields) => fields.length >= 3)
      .map((fields) => ({ point: unescape(fields[1] as string), type: fields[2] as string }))
  } catch {
    return []
  }
}

const nearestExisting = (path: string): string => {
  let at = resolve(path)
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
  try {
    return realpathSync(at)
  } catch {
    return at
  }
}

const holds = (point: string, path: string): boolean => point === "/" || path === point || path.startsWith(point.endsWith(sep) ? point : point + sep)

/** "MOUNT_POINT (TYPE)" of the file system holding `path`, or the path's nearest existing folder. */
export const describeDevice = (path: string): string => {
  const real = nearestExisting(path)
  const mount = mounts()
    .filter((m) => holds(m.point, real))
    .reduce<Mount | undefined>((best, m) => (best === undefined || m.point.length >= best.point.length ? m : best), undefined)
  return mount ? `${mount.point} (${mount.type})` : real
}
