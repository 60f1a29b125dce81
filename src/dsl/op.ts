/**
 * The declarative half of an op: its name, named input and output ports with
 * symbolic shapes (possibly depending on attributes), and which inputs carry
 * gradients. No tensors here; kernels live in src/ops/<op>/.
 */
import type { Port } from "./shape.ts"

/** Ports of an op for given attributes; an optional input is present exactly when it has a port here. */
export interface Signature<I extends string, O extends string, Opt extends string = never> {
  readonly inputs: { readonly [K in I]: Port } & { readonly [K in Opt]?: Port | undefined }
  readonly outputs: { readonly [K in O]: Port }
}

export interface OpSpec<Name extends string = string, I extends string = string, O extends string = string, A = unknown, Opt extends string = never> {
  readonly name: Name
  /** One line for describe() and error messages. */
  readonly doc: string
  /** Inputs every node wires. */
  readonly inputs: ReadonlyArray<I>
  /** Inputs a node wires only in the modes whose signature gives them a port (e.g. the rasteriser's rotations). */
  readonly optionalInputs?: ReadonlyArray<Opt>
  readonly outputs: ReadonlyArray<O>
  /** Inputs with a gradient; the others (indices, masks) are treated as constants. */
  readonly differentiable: ReadonlyArray<NoInfer<I | Opt>>
  readonly signature: (attrs: A) => Signature<NoInfer<I>, O, NoInfer<Opt>>
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpSpec = OpSpec<string, any, any, any, any>

/* eslint-disable @typescript-eslint/no-explicit-any -- `any` is needed where attrs sit in a contravariant position */
/** Every input name, required and optional. */
export type InputsOf<S> = S extends OpSpec<string, infer I, string, any, infer Opt> ? I | Opt : never
export type RequiredInputsOf<S> = S extends OpSpec<string, infer I, string, any, any> ? I : never
export type OptionalInputsOf<S> = S extends OpSpec<string, string, string, any, infer Opt> ? Opt : never
export type OutputsOf<S> = S extends OpSpec<string, string, infer O, any, any> ? O : never
export type AttrsOf<S> = S extends OpSpec<string, string, string, infer A, any> ? A : never
export type NameOf<S> = S extends OpSpec<infer N, string, string, any, any> ? N : never
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A value per input of an op: every required input, and the optional ones its mode uses. */
export type Wired<S, V> = { readonly [K in RequiredInputsOf<S>]: V } & { readonly [K in OptionalInputsOf<S>]?: V }

/** Every input an op may take, required first. */
export const allInputs = (spec: AnyOpSpec): ReadonlyArray<string> => [...(spec.inputs as ReadonlyArray<string>), ...((spec.optionalInputs ?? []) as ReadonlyArray<string>)]

/** The inputs a node of `spec` with these attributes wires: the required ones and the optional ones its signature gives a port. */
export const wiredInputs = (spec: AnyOpSpec, attrs: unknown): ReadonlyArray<string> => {
  const ports = spec.signature(attrs).inputs as Readonly<Record<string, unknown>>
  return allInputs(spec).filter((name) => ports[name] !== undefined)
}

/** Define an op spec; `const` keeps the port names as literal types. */
export const defineOp = <const Name extends string, const I extends string, const O extends string, A, const Opt extends string = never>(
  spec: OpSpec<Name, I, O, A, Opt>
): OpSpec<Name, I, O, A, Opt> => Object.freeze(spec)
