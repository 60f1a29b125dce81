/**
 * applyOp: evaluate an op on tfjs tensors so that tfjs's tape differentiates
 * through it. Custom kernels are wrapped in tf.customGrad; their outputs
 * (float32) travel as one flat tensor through the wrapper and are split after.
 */
import * as tf from "@tensorflow/tfjs"
import type { AnyOpSpec, AttrsOf, InputsOf, OutputsOf } from "../dsl/op.ts"
import type { CustomKernel, OpContext, OpDef, Tensors } from "./contract.ts"
import { gradName } from "./contract.ts"

const applyCustom = <I extends string, O extends string, A>(
  spec: AnyOpSpec,
  kernel: CustomKernel<I, O, A, unknown>,
  inputs: Tensors<I>,
  attrs: A,
  ctx: OpContext
): Tensors<O> => {
  const inputNames = spec.inputs as ReadonlyArray<I>
  const outputNames = spec.outputs as ReadonlyArray<O>
  const inputList = inputNames.map((n) => inputs[n])
  const shapes: Array<ReadonlyArray<number>> = []
  const wrapped = tf.customGrad((...args: unknown[]) => {
    const save = args[args.length - 1] as (tensors: tf.Tensor[]) => void
    const given = Object.fromEntries(inputNames.map((n, i) => [n, args[i] as tf.Tensor])) as Tensors<I>
    const { outputs, saved, aux } = kernel.forward(given, attrs, ctx)
    shapes.length = 0
    for (const n of outputNames) shapes.push(outputs[n].shape)
    const value = tf.concat(outputNames.map((n) => outputs[n].reshape([-1])))
    save([...inputNames.map((n) => given[n]), value, ...saved])
    return {
      value,
      gradFunc: (dy: tf.Tensor, keptTensors: tf.Tensor[]) => {
        const keptInputs = Object.fromEntries(inputNames.map((n, i) => [n, keptTensors[i] as tf.Tensor])) as Tensors<I>
        const flat = keptTensors[inputNames.length] as tf.Tensor
        const split = (t: tf.Tensor) => {
          const parts = tf.split(t, shapes.map((s) => s.reduce((a, b) => a * b, 1)))
          return Object.fromEntries(outputNames.map((n, i) => [n, (parts[i] as tf.Tensor).reshape(shapes[i] as number[])])) as Tensors<O>
        }
        const grads = kernel.backward({
          inputs: keptInputs,
          outputs: split(flat),
          saved: keptTensors.slice(inputNames.length + 1),
          aux,
          grads: split(dy),
          attrs
        }) as Record<string, tf.Tensor | undefined>
        return inputNames.map((n) => grads[gradName(n)] ?? tf.zeros(keptInputs[n].shape))
      }
    }
  })
  const flat = wrapped(...inputList)
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1))
  const parts = outputNames.length === 1 ? [flat] : tf.split(flat, sizes)
  return Object.fromEntries(outputNames.map((n, i) => [n, (parts[i] as tf.Tensor).reshape(shapes[i] as number[])])) as Tensors<O>
}

/** Run one op. Inputs must already have the dtypes of the op's signature. */
export const applyOp = <S extends AnyOpSpec>(def: OpDef<S>, inputs: Tensors<InputsOf<S>>, attrs: AttrsOf<S>, ctx: OpContext): Tensors<OutputsOf<S>> => {
  const kernel = def.kernel
  if (kernel._tag === "Autodiff") return kernel.forward(inputs, attrs, ctx)
  return applyCustom(def.spec, kernel as CustomKernel<InputsOf<S>, OutputsOf<S>, AttrsOf<S>, unknown>, inputs, attrs, ctx)
}
