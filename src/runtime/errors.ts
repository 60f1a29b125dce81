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

const phaseOf = (e: { readonly phase: string; readonly kernel?: string | undefined }): string => (e.phase === "update" ? "parameter update" : `${e.phase} pass${e.kernel ? `, gradient of kernel ${e.kernel}` : ""}`)

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`

/**
 * A training step ran out of memory: the WebAssembly heap (at most 4 GiB) could not grow, seen as a
 * WebAssembly abort or an out-of-bounds access in the node that was running.
 */
export class OutOfMemory extends Data.TaggedError("OutOfMemory")<{
  readonly step: number
  /** The graph node that was running, or what else was (e.g. "the sum of the loss terms"). */
  readonly node: string
  readonly phase: "forward" | "backward"
  /** The tfjs kernel whose gradient was running (backward pass only). */
  readonly kernel?: string
  /** The WebAssembly heap when it failed, bytes (0 when the backend has none). */
  readonly heapBytes: number
  readonly reason: string
}> {
  override get message(): string {
    const heap = this.heapBytes > 0 ? ` with a WebAssembly heap of ${gib(this.heapBytes)}` : ""
    return `out of memory at step ${this.step} in node "${this.node}" (${phaseOf(this)})${heap}: ${this.reason}; try smaller sizes (a smaller query map or network, batch 1, smaller frames)`
  }
}

/** A kernel threw during a training step for another reason than memory. */
export class StepFailed extends Data.TaggedError("StepFailed")<{
  readonly step: number
  readonly node: string
  readonly phase: "forward" | "backward" | "update"
  readonly kernel?: string
  readonly reason: string
}> {
  override get message(): string {
    return `step ${this.step} failed in ${this.phase === "update" ? "the parameter update" : `node "${this.node}" (${phaseOf(this)})`}: ${this.reason}`
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
