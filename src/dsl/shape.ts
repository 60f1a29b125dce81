/**
 * Symbolic shapes and ports.
 *
 * A dimension is a number (fixed size), a symbol ("N": bound once per node or
 * graph), or a rest symbol ("...S": zero or more dimensions, at most one per
 * shape). Shapes are checked by unification before any tensor exists.
 */

export type DType = "float32" | "int32"

/** A fixed size, a symbol such as "N", or a rest symbol such as "...S". */
export type Dim = number | string

export type Shape = ReadonlyArray<Dim>

/** What flows along an edge of a graph: an element type and a symbolic shape. */
export interface Port {
  readonly dtype: DType
  readonly shape: Shape
}

export const port = (shape: Shape, dtype: DType = "float32"): Port => ({ dtype, shape })

export const isRest = (dim: Dim): dim is string => typeof dim === "string" && dim.startsWith("...")

export const formatShape = (shape: Shape): string => `[${shape.map((d) => (typeof d === "number" ? String(d) : JSON.stringify(d))).join(", ")}]`

/** Number of elements of a fully concrete shape; throws on a symbolic one. */
export const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

export const isConcrete = (shape: Shape): shape is ReadonlyArray<number> => shape.every((d) => typeof d === "number")
