/**
 * The op contract. An op is one folder under src/ops holding:
 * - spec.ts   the declarative signature (src/dsl types only, no tfjs),
 * - <op>.ts   the kernel on tfjs tensors: either composed of tfjs ops whose
 *             gradient tfjs derives ("Autodiff"), or a forward that returns
 *             its outputs and a record of what the backward needs, plus a
 *             backward that receives that record and returns `v<Input>`
 *             gradients ("Custom"); an op whose kernel differs per backend
 *             chooses it once, when a graph is compiled ("PerBackend"),
 * - <op>.ref.ts a plain Float64Array reference implementation, for tests only: production code
 *             never imports it (the table of references is src/testing/references.ts).
 */
import type * as tf from "@tensorflow/tfjs"
import type { AnyOpSpec, AttrsOf, InputsOf, OutputsOf, Wired } from "../dsl/op.ts"
import type { DenseRunner } from "./denseBlock/wasm/runner.ts"
import type { TileRunner } from "../raster/wasm/simdRaster.ts"

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

/** A kernel's inputs: every required input of the op, and the optional ones its mode uses. */
export type KernelInputs<S extends AnyOpSpec> = Wired<S, tf.Tensor>

export interface AutodiffKernel<S extends AnyOpSpec> {
  readonly _tag: "Autodiff"
  forward(inputs: KernelInputs<S>, attrs: AttrsOf<S>, ctx: OpContext): Tensors<OutputsOf<S>>
}

/** One value a forward keeps for its backward: a tensor (kept alive for the backward) or a plain value. */
export type SavedValue = tf.Tensor | number | boolean | string

/** What a forward keeps for its backward, by name (a `type`, not an `interface`, so that it has an index signature). */
export type Saved = { readonly [name: string]: SavedValue }

/**
 * What a backward receives: the op's inputs, the forward's saved record, the gradients of its
 * outputs and its attrs. The outputs themselves are not kept (a backward that needs one saves it in
 * its record): keeping every output of every op for the backward pass doubled the decoder's memory.
 */
export interface BackwardArgs<S extends AnyOpSpec, Kept extends Saved> {
  readonly inputs: KernelInputs<S>
  readonly saved: Kept
  readonly grads: Tensors<OutputsOf<S>>
  readonly attrs: AttrsOf<S>
}

/**
 * A forward/backward pair. `Kept` is the op's own record of what the forward saves; the backward
 * receives it typed. (forward and backward are declared as methods so that a kernel with any `Kept`
 * is also a `CustomKernel<S>` where the runtime stores it; the runtime only hands the forward's
 * record back to the same kernel's backward.)
 */
export interface CustomKernel<S extends AnyOpSpec, Kept extends Saved = Saved> {
  readonly _tag: "Custom"
  forward(inputs: KernelInputs<S>, attrs: AttrsOf<S>, ctx: OpContext): { readonly outputs: Tensors<OutputsOf<S>>; readonly saved: Kept }
  backward(args: BackwardArgs<S, Kept>): Grads<InputsOf<S>>
}

/** What a kernel may use of the backend a graph is compiled for. */
export interface KernelTarget {
  readonly backend: "cpu" | "wasm" | "webgpu"
  /** The rasteriser's WebAssembly SIMD runner (one thread or two) of the wasm backend's layer. */
  readonly rasterTiles?: TileRunner
  /** denseBlock's WebAssembly SIMD runner (one thread or two) of the wasm backend's layer; absent: tfjs kernels. */
  readonly denseBlocks?: DenseRunner
}

/** A kernel chosen per backend, once, when a graph is compiled for it. */
export interface PerBackendKernel<S extends AnyOpSpec> {
  readonly _tag: "PerBackend"
  select(target: KernelTarget): ResolvedKernel<S>
}

export type ResolvedKernel<S extends AnyOpSpec> = AutodiffKernel<S> | CustomKernel<S>
export type Kernel<S extends AnyOpSpec> = ResolvedKernel<S> | PerBackendKernel<S>

/** A dense float64 array with its shape, row-major. Integer inputs hold integral values. */
export interface F64 {
  readonly shape: ReadonlyArray<number>
  readonly data: Float64Array
}

/** A Float64 reference of an op: required inputs I, optional inputs Opt (present in the modes that use them). */
export interface Reference<I extends string, O extends string, A, Opt extends string = never> {
  /** `ctx` matters only to ops that behave differently in training (BatchNorm); default evaluation. */
  readonly forward: (inputs: { readonly [P in I]: F64 } & { readonly [P in Opt]?: F64 }, attrs: A, ctx?: OpContext) => { readonly [P in O]: F64 }
}

export interface OpDef<S extends AnyOpSpec = AnyOpSpec> {
  readonly spec: S
  readonly kernel: Kernel<S>
  /** Custom tfjs kernels this op registers, per backend (e.g. a WGSL program for webgpu, typed-array code for cpu and wasm). */
  readonly backendKernels?: ReadonlyArray<tf.KernelConfig>
}

/** An op whose kernel is chosen for one target (what a compiled graph holds). */
export interface ResolvedOpDef<S extends AnyOpSpec = AnyOpSpec> extends OpDef<S> {
  readonly kernel: ResolvedKernel<S>
}

/** The op with its kernel chosen for `target`. */
export const resolveOp = <S extends AnyOpSpec>(def: OpDef<S>, target: KernelTarget): ResolvedOpDef<S> => {
  const kernel = def.kernel
  return { ...def, kernel: kernel._tag === "PerBackend" ? kernel.select(target) : kernel }
}

/** Define an op; annotate the constant as ResolvedOpDef<typeof spec> (one kernel) or OpDef<typeof spec> (per backend). */
export const defineOpDef = <D extends OpDef>(def: D): D => Object.freeze(def)
