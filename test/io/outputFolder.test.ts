/**
 * checkOutputFolder on its own: the folder is created, nothing is left in it, and an existing file,
 * a path through a file or a read-only folder is one IoError naming the folder and the cause.
 * (Read-only and full mounts go through the command line in test/reliability/cli.test.ts.)
 */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { chmodSync, readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { checkOutputFolder } from "../../src/io/outputFolder.ts"
import { withTempDir } from "./paths.ts"

const failure = (folder: string): string => Effect.runSync(Effect.flip(checkOutputFolder(folder))).message

/** chmod does not stop root, so the read-only folder case can only be seen by another user. */
const rootSkip = process.getuid?.() === 0 ? "running as root, which writes into a folder of mode 0555 anyway" : false

describe("checkOutputFolder", () => {
  it("creates a missing folder (and its parents) and leaves no probe file behind", () =>
    withTempDir(async (dir) => {
      const folder = join(dir, "a", "b", "run")
      Effect.runSync(checkOutputFolder(folder))
      assert.deepEqual(readdirSync(folder), [])
    }))

  it("an existing file, or a path through one: one error naming the folder", () =>
    withTempDir(async (dir) => {
      const file = join(dir, "taken")
      writeFileSync(file, "x")
      assert.match(failure(file), new RegExp(`${file}.*is a file, not a folder`))
      assert.match(failure(join(file, "run")), /a part of the path is a file, not a folder/)
    }))

  it("a read-only folder: permission denied", { skip: rootSkip }, () =>
    withTempDir(async (dir) => {
      const folder = join(dir, "locked")
      Effect.runSync(checkOutputFolder(folder))
      chmodSync(folder, 0o555)
      try {
        assert.match(failure(folder), /output folder cannot be written: permission denied/)
        assert.match(failure(join(folder, "run")), /permission denied/)
      } finally {
        chmodSync(folder, 0o755)
      }
    }))
})
