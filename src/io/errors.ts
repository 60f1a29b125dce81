/** Typed errors of the file readers and writers in src/io. */
import { Data, Effect } from "effect"
import { readFile } from "node:fs/promises"

/** A file (or one entry of an archive, `key`) that cannot be read, parsed or written. */
export class IoError extends Data.TaggedError("IoError")<{
  readonly file: string
  readonly key?: string
  readonly reason: string
}> {
  override get message(): string {
    const where = this.key === undefined ? this.file : `${this.file} [${this.key}]`
    return `${where}: ${this.reason}`
  }
}

/**
 * Runs a synchronous parser that signals bad input by throwing IoError.
 * Anything else it throws (a RangeError from a truncated buffer, say) becomes an IoError too.
 */
export const attempt = <A>(file: string, key: string | undefined, parse: () => A): Effect.Effect<A, IoError> =>
  Effect.try({
    try: parse,
    catch: (cause) =>
      cause instanceof IoError
        ? cause
        : new IoError({ file, ...(key === undefined ? {} : { key }), reason: cause instanceof Error ? cause.message : String(cause) })
  })

/** Throws (for use inside parsers run by `attempt`). */
export const fail = (file: string, reason: string, key?: string): never => {
  throw new IoError({ file, ...(key === undefined ? {} : { key }), reason })
}

const describeCause = (cause: unknown): string => {
  const code = (cause as { code?: unknown } | null)?.code
  if (code === "ENOENT") return "file not found"
  return cause instanceof Error ? cause.message : String(cause)
}

export const readBytes = (file: string): Effect.Effect<Uint8Array, IoError> =>
  Effect.tryPromise({
    try: async () => new Uint8Array(await readFile(file)),
    catch: (cause) => new IoError({ file, reason: `cannot read: ${describeCause(cause)}` })
  })
