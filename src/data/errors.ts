/** Typed errors of the datasets. */
import { Data } from "effect"
import type { IoError } from "../io/errors.ts"

/** Bad or missing data. Always names the file (or folder) and what is wrong with it. */
export class DatasetError extends Data.TaggedError("DatasetError")<{
  readonly file: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}

/** An IoError as a DatasetError (the key, when there is one, before the reason). */
export const fromIoError = (e: IoError): DatasetError =>
  new DatasetError({ file: e.file, reason: e.key === undefined ? e.reason : `[${e.key}] ${e.reason}` })
