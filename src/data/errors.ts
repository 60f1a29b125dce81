/** Typed errors of the datasets. */
import { Data } from "effect"

/** Bad or missing data. Always names the file (or folder) and what is wrong with it. */
export class DatasetError extends Data.TaggedError("DatasetError")<{
  readonly file: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.file}: ${this.reason}`
  }
}
