/** Typed errors of `gavatar prepare`: each names the file (and the frame, when one is at fault) and what is wrong. */
import { Data } from "effect"

export class PrepareError extends Data.TaggedError("PrepareError")<{
  readonly file: string
  /** The frame at fault (index among the decoded frames), when one is. */
  readonly frame?: number
  readonly reason: string
}> {
  override get message(): string {
    return this.frame === undefined ? `${this.file}: ${this.reason}` : `${this.file}, frame ${this.frame}: ${this.reason}`
  }
}
