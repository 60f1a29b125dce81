/**
 * The declarative half of an op: its name, named input and output ports with
 * symbolic shapes (possibly depending on attributes), and which inputs carry
 * gradients. No tensors here; kernels live in src/ops/<op>/.
 */
import type { Port } from "./shape.ts"

export interface Signature<I extends string, O extends string> {
  readonly inputs: { readonly [K in I]: Port }
  readonly outputs: { readonly [K in O]: Port }
}

export interface OpSpec<Name extends string = string, I extends string = string, O extends string = string, A = unknown> {
  readonly name: Name
  /** One line for describe() and error messages. */
  readonly doc: string
  readonly inputs: ReadonlyArray<I>
  readonly outputs: ReadonlyArray<O>
  /** Inputs with a gradient; the others (indices, masks) are treated as constants. */
  readonly differentiable: ReadonlyArray<I>
  readonly signature: (attrs: A) => Signature<I, O>
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpSpec = OpSpec<string, any, any, any>

/* eslint-disable @typescript-eslint/no-explicit-any -- `any` is needed where attrs sit in a contravariant position */
export type InputsOf<S> = S extends OpSpec<string, infer I, string, any> ? I : never
export type OutputsOf<S> = S extends OpSpec<string, string, infer O, any> ? O : never
export type AttrsOf<S> = S extends OpSpec<string, string, string, infer A> ? A : never
export type NameOf<S> = S extends OpSpec<infer N, string, string, any> ? N : never
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Define an op spec; `const` keeps the port names as literal types. */
export const defineOp = <const Name extends string, const I extends string, const O extends string, A>(
  spec: OpSpec<Name, I, O, A>
): OpSpec<Name, I, O, A> => Object.freeze(spec)
