/** The graph DSL: describes computations; never imports tfjs. */
export * from "./shape.ts"
export * from "./schedule.ts"
export * from "./op.ts"
export * from "./graph.ts"
export * from "./edit.ts"
export * from "./errors.ts"
export * from "./typecheck.ts"
export * from "./describe.ts"
