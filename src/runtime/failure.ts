/**
 * A kernel that threw during a training step, turned into a typed error naming the graph node that
 * was running: OutOfMemory when the error is the WebAssembly heap running out (an abort, an
 * out-of-bounds access, a failed grow or allocation), StepFailed otherwise.
 */
import { NonFinite, OutOfMemory, StepFailed } from "./errors.ts"
import type { TapeMarks } from "./forward.ts"
import { ForwardFailed } from "./forward.ts"
import { BackwardFailed } from "./gradients.ts"
import { wasmHeapBytes } from "./memory.ts"

const memoryMessages = /out of bounds|Aborted\(|enlarge memory|out of memory|allocation failed|Maximum memory size|could not allocate|Memory\.grow|Invalid typed array length|Array buffer allocation/i

/** Whether an error thrown by a kernel is the heap running out. */
export const isOutOfMemory = (error: unknown): boolean => memoryMessages.test(String(error instanceof Error ? `${error.name}: ${error.message}` : error))

/** The graph node whose part of the tape holds tape node `id` (marks from the forward pass). */
const nodeOfTapeNode = (id: number, marks: TapeMarks): string => marks.find(([, mark]) => id < mark)?.[0] ?? "the weighted sum of the loss terms"

interface Located {
  readonly node: string
  readonly phase: "forward" | "backward" | "update"
  readonly kernel?: string
  readonly cause: unknown
}

const located = (error: unknown, marks: TapeMarks): Located => {
  if (error instanceof ForwardFailed) return { node: error.node, phase: "forward", cause: error.cause }
  if (error instanceof BackwardFailed) return { node: nodeOfTapeNode(error.tapeNode, marks), phase: "backward", kernel: error.kernel, cause: error.cause }
  return { node: "the parameter update", phase: "update", cause: error }
}

export const stepFailure = (error: unknown, step: number, marks: TapeMarks): NonFinite | OutOfMemory | StepFailed => {
  if (error instanceof NonFinite || error instanceof OutOfMemory || error instanceof StepFailed) return error
  const { node, phase, kernel, cause } = located(error, marks)
  const reason = String(cause)
  const where = kernel === undefined ? { node } : { node, kernel }
  if (isOutOfMemory(cause) && phase !== "update") return new OutOfMemory({ step, ...where, phase, heapBytes: wasmHeapBytes(), reason })
  return new StepFailed({ step, ...where, phase, reason })
}
