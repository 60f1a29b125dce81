/** Where tests find the shared data that sits beside the repository (../shared), and temp folders. */
import { existsSync } from "node:fs"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url))

/** A file under ../shared/data, or a message saying why it is missing (tests skip with it). */
export const sharedData = (relative: string): { readonly path: string; readonly missing: string | false } => {
  const path = join(repoRoot, "..", "shared", "data", relative)
  return { path, missing: existsSync(path) ? false : `${path} is missing: the shared data folder ../shared/data beside the repository is not present` }
}

export const withTempDir = async <A>(body: (dir: string) => Promise<A>): Promise<A> => {
  const dir = mkdtempSync(join(tmpdir(), "gavatar-test-"))
  try {
    return await body(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
