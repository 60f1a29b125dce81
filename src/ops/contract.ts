/**
 * The op contract. An op is one folder under src/ops holding:
 * - spec.ts   the declarative signature (src/dsl types only, no tfjs),
 * - <op>.ts   the kernel on tfjs tensors: either composed of tfjs ops whose
 *             gradient tfjs derives ("Autodiff"), or a forward that returns
 *             what the backward needs plus a backward returning `v<Input>`
 *             gradients ("Custom"),
 * - <op>.ref.ts a plain Float64Array reference implementation, for tests only: production code
 *             never imports it (the table of references is src/testing/references.ts).
 */
import type * as tf from "@tensorflow/tfjs"
import type { AnyOpSpec, AttrsOf, InputsOf, OutputsOf } from "../dsl/op.ts"

export type Tensors<K extends string> = { readonly [P in K]: tf.Tensor }

/** Evaluation context given to every kernel. */
export interface OpContext {
  /** Training (BatchNorm uses batch statistics, dropout on) or evaluation. */
  readonly mode: "train" | "eval"
  readonly epoch: number
  readonly iteration: number
}

export const evalContext: OpContext = { mode: "eval", epoch: 0, iteration: 0 }

/** Gradient names follow the field's convention: `vPoints` is the gradient of input `points`. */
export type GradName<I extends string> = `v${Capitalize<I>}`
export type Grads<I extends string> = { readonly [P in I as GradName<P>]?: tf.Tensor }

export const gradName = <I extends string>(input: I): GradName<I> => `v${input.charAt(0).toUpperCase()}${input.slice(1)}` as GradName<I>

export interface AutodiffKernel<I extends string, O extends string, A> {
  readonly _tag: "Autodiff"
  readonly forward: (inputs: Tensors<I>, attrs: A, ctx: OpContext) => Tensors<O>
}

/** A forward/backward pair. `saved` holds the tensors the backward needs; `aux` any plain JS values. */
export interface CustomKernel<I extends string, O extends string, A, Aux = unknown> {
  readonly _tag: "Custom"
  readonly forward: (inputs: Tensors<I>, attrs: A, ctx: OpContext) => { readonly outputs: Tensors<O>; readonly saved: ReadonlyArray<tf.Tensor>; readonly aux: Aux }
  readonly backward: (args: { readonly inputs: Tensors<I>; readonly outputs: Tensors<O>; readonly saved: ReadonlyArray<tf.Tensor>; readonly aux: Aux; readonly grads: Tensors<O>; readonly attrs: A }) => Grads<I>
}

export type Kernel<I extends string, O extends string, A> = AutodiffKernel<I, O, A> | CustomKernel<I, O, A, unknown>

/** A dense float64 array with its shape, row-major. Integer inputs hold integral values. */
export interface F64 {
  readonly shape: ReadonlyArray<number>
  readonly data: Float64Array
}

export interface Reference<I extends string, O extends string, A> {
  /** `ctx` matters only to ops that behave differently in training (BatchNorm); default evaluation. */
  readonly forward: (inputs: { readonly [P in I]: F64 }, attrs: A, ctx?: OpContext) => { readonly [P in O]: F64 }
}

export interface OpDef<S extends AnyOpSpec = AnyOpSpec> {
  readonly spec: S
  readonly kernel: Kernel<InputsOf<S>, OutputsOf<S>, AttrsOf<S>>
  /** Custom tfjs kernels this op registers, per backend (e.g. a WGSL program for webgpu, typed-array code for cpu and wasm). */
  readonly backendKernels?: ReadonlyArray<tf.KernelConfig>
}

export const defineOpDef = <S extends AnyOpSpec>(def: OpDef<S>): OpDef<S> => Object.freeze(def)
