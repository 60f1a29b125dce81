/**
 * applyOp: evaluate an op on tfjs tensors so that tfjs's tape differentiates
 * through it. Custom kernels are wrapped in tf.customGrad: their outputs
 * (float32) travel as one flat tensor through the wrapper and are split after;
 * the op's inputs and the tensors of the forward's saved record are kept alive
 * for the backward by tfjs (the plain values of the record are kept as they
 * are), the outputs are not (a backward that needs them saves them).
 */
import * as tf from "@tensorflow/tfjs"
import type { AnyOpSpec, AttrsOf, OutputsOf } from "../dsl/op.ts"
import { allInputs } from "../dsl/op.ts"
import type { CustomKernel, KernelInputs, KernelTarget, OpContext, OpDef, ResolvedOpDef, Saved, SavedValue, Tensors } from "./contract.ts"
import { gradName, resolveOp } from "./contract.ts"

const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** The record's tensors, in a fixed order, and a function that rebuilds the record from kept copies of them. */
const splitSaved = (saved: Saved): { readonly tensors: tf.Tensor[]; readonly rebuild: (kept: ReadonlyArray<tf.Tensor>) => Saved } => {
  const names = Object.keys(saved).filter((k) => saved[k] instanceof tf.Tensor)
  return {
    tensors: names.map((k) => saved[k] as tf.Tensor),
    rebuild: (kept) => ({ ...saved, ...Object.fromEntries(names.map((k, i): [string, SavedValue] => [k, kept[i] as tf.Tensor])) })
  }
}

const applyCustom = <S extends AnyOpSpec>(spec: S, kernel: CustomKernel<S>, inputs: KernelInputs<S>, attrs: AttrsOf<S>, ctx: OpContext): Tensors<OutputsOf<S>> => {
  const given = inputs as Readonly<Record<string, tf.Tensor | undefined>>
  const inputNames = allInputs(spec).filter((n) => given[n] !== undefined)
  const outputNames = spec.outputs as ReadonlyArray<OutputsOf<S>>
  const shapes: Array<ReadonlyArray<number>> = []
  const split = (flat: tf.Tensor) => {
    const parts = outputNames.length === 1 ? [flat] : tf.split(flat, shapes.map(sizeOf))
    return Object.fromEntries(outputNames.map((n, i) => [n, (parts[i] as tf.Tensor).reshape(shapes[i] as number[])])) as Tensors<OutputsOf<S>>
  }
  const wrapped = tf.customGrad((...args: unknown[]) => {
    const save = args[args.length - 1] as (tensors: tf.Tensor[]) => void
    const forwardInputs = Object.fromEntries(inputNames.map((n, i) => [n, args[i] as tf.Tensor])) as KernelInputs<S>
    const { outputs, saved } = kernel.forward(forwardInputs, attrs, ctx)
    const kept = splitSaved(saved)
    shapes.length = 0
    for (const n of outputNames) shapes.push(outputs[n].shape)
    const value = tf.concat(outputNames.map((n) => outputs[n].reshape([-1])))
    save([...inputNames.map((n, i) => args[i] as tf.Tensor), ...kept.tensors])
    return {
      value,
      gradFunc: (dy: tf.Tensor, keptTensors: tf.Tensor[]) => {
        const keptInputs = Object.fromEntries(inputNames.map((n, i) => [n, keptTensors[i] as tf.Tensor])) as KernelInputs<S>
        const grads = kernel.backward({
          inputs: keptInputs,
          saved: kept.rebuild(keptTensors.slice(inputNames.length)),
          grads: split(dy),
          attrs
        }) as Readonly<Record<string, tf.Tensor | undefined>>
        return inputNames.map((n, i) => grads[gradName(n)] ?? tf.zeros((keptTensors[i] as tf.Tensor).shape))
      }
    }
  })
  return split(wrapped(...inputNames.map((n) => given[n] as tf.Tensor)))
}

/** Run one op whose kernel is chosen (resolveOp). Inputs must already have the dtypes of the op's signature. */
export const applyOp = <S extends AnyOpSpec>(def: ResolvedOpDef<S>, inputs: KernelInputs<S>, attrs: AttrsOf<S>, ctx: OpContext): Tensors<OutputsOf<S>> => {
  const kernel = def.kernel
  return kernel._tag === "Autodiff" ? kernel.forward(inputs, attrs, ctx) : applyCustom(def.spec, kernel, inputs, attrs, ctx)
}

/** Register the op's custom tfjs kernels where tfjs's (process-wide) registry lacks them; what compile() does for each node. */
export const registerOpKernels = (def: OpDef): void => {
  for (const config of def.backendKernels ?? []) if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config)
}

/** The op ready to run on `target`: its custom tfjs kernels registered, its kernel chosen. */
export const prepareOp = <S extends AnyOpSpec>(def: OpDef<S>, target: KernelTarget): ResolvedOpDef<S> => {
  registerOpKernels(def)
  return resolveOp(def, target)
}
