/** Listing a dataset's frame folders; a missing folder is a DatasetError naming it. */
import { Effect } from "effect"
import { access, readdir } from "node:fs/promises"
import { DatasetError } from "./errors.ts"

/** Sorted file names in `folder` that end with one of `extensions` (case-insensitive). */
export const listFiles = (folder: string, extensions: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<string>, DatasetError> =>
  Effect.tryPromise({
    try: () => readdir(folder),
    catch: (cause) => new DatasetError({ file: folder, reason: `cannot list folder: ${(cause as { code?: string }).code === "ENOENT" ? "not found" : String(cause)}` })
  }).pipe(Effect.map((names) => names.filter((n) => extensions.some((e) => n.toLowerCase().endsWith(e))).sort()))

export const exists = (file: string): Effect.Effect<boolean> => Effect.promise(() => access(file).then(() => true, () => false))

export const stem = (name: string): string => name.replace(/\.[^.]*$/, "")
