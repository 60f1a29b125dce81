/** Typed errors of the runtime. Graph errors (ShapeMismatch, GraphError) come from src/dsl. */
import { Data } from "effect"
export { GraphError, ShapeMismatch } from "../dsl/errors.ts"

/** A NaN or Inf loss, gradient or param. Training stops; the last good checkpoint is kept. */
export class NonFinite extends Data.TaggedError("NonFinite")<{
  readonly step: number
  /** The node, loss term or param where the first non-finite value was seen. */
  readonly where: string
  readonly checkpoint?: string
}> {
  override get message(): string {
    const kept = this.checkpoint ? `; last good checkpoint kept at ${this.checkpoint}` : ""
    return `non-finite value at step ${this.step} in ${this.where}${kept}`
  }
}

/** The requested tfjs backend cannot run here. Never followed by a silent fallback. */
export class BackendUnavailable extends Data.TaggedError("BackendUnavailable")<{
  readonly backend: string
  readonly reason: string
}> {
  override get message(): string {
    return `backend "${this.backend}" is unavailable: ${this.reason}`
  }
}

/** A checkpoint that cannot be read or written. */
export class CheckpointError extends Data.TaggedError("CheckpointError")<{
  readonly file: string
  readonly reason: string
}> {
  override get message(): string {
    return `checkpoint ${this.file}: ${this.reason}`
  }
}

/** A checkpoint that could not be written (full disk, read-only folder); the one before it is untouched. */
export class CheckpointNotWritten extends Data.TaggedError("CheckpointNotWritten")<{
  readonly file: string
  /** The problem in words, e.g. "no space left on /data (ext4)". */
  readonly reason: string
  /** The step of the checkpoint still on disk, if there is one. */
  readonly keptStep?: number
}> {
  override get message(): string {
    const kept = this.keptStep === undefined ? "no earlier checkpoint exists" : `the checkpoint of step ${this.keptStep} is kept`
    return `${this.reason} writing ${this.file}; ${kept}`
  }
}
