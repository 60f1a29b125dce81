/** Typed errors raised while building or checking a graph, before any tensor exists. */
import { Data } from "effect"
import type { Shape } from "./shape.ts"
import { formatShape } from "./shape.ts"

/** A port received a value whose shape or dtype disagrees with the op's signature. */
export class ShapeMismatch extends Data.TaggedError("ShapeMismatch")<{
  readonly graph: string
  readonly node: string
  readonly port: string
  readonly expected: Shape
  readonly actual: Shape
  readonly detail?: string
}> {
  override get message(): string {
    const why = this.detail ? ` (${this.detail})` : ""
    return `graph "${this.graph}", node "${this.node}", port "${this.port}": expected shape ${formatShape(this.expected)}, got ${formatShape(this.actual)}${why}`
  }
}

/** A reference to an input, param or node output that the graph does not define, a cycle, or a bad name. */
export class GraphError extends Data.TaggedError("GraphError")<{
  readonly graph: string
  readonly where: string
  readonly reason: string
}> {
  override get message(): string {
    return `graph "${this.graph}", ${this.where}: ${this.reason}`
  }
}

export type CheckError = ShapeMismatch | GraphError
