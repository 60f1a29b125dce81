/**
 * The three gradient checks of an op on the active tfjs backend, as plain
 * async functions returning a failure description (or undefined):
 * 1. kernel forward (float32) vs the Float64 reference;
 * 2. kernel VJP vs central finite differences of the reference, per
 *    coordinate for small inputs, along random directions otherwise;
 * 3. outputs and gradients finite.
 */
import * as tf from "@tensorflow/tfjs"
import type { AnyOpSpec, AttrsOf, OutputsOf, Wired } from "../dsl/op.ts"
import { allInputs } from "../dsl/op.ts"
import type { Port } from "../dsl/shape.ts"
import { applyOp } from "../ops/apply.ts"
import type { F64, KernelInputs, OpContext } from "../ops/contract.ts"
import { evalContext, gradName } from "../ops/contract.ts"
import { dot, norm2, roundToFloat32, seededUniform, withData } from "./f64.ts"
import type { OpTolerances } from "./tolerances.ts"
import { within } from "./tolerances.ts"
import type { TestedOp } from "./references.ts"

export type { TestedOp }

export interface OpCase<S extends AnyOpSpec> {
  readonly inputs: Wired<S, F64>
  readonly attrs: AttrsOf<S>
  /** Training or evaluation (e.g. BatchNorm's batch or running statistics); default evaluation. */
  readonly mode?: OpContext["mode"]
}

const contextOf = (c: OpCase<AnyOpSpec>): OpContext => ({ ...evalContext, mode: c.mode ?? "eval" })

/** Coordinates up to this count are checked one by one; larger inputs along random directions. */
const maxPerCoordinate = 48
const directions = 3

const inputPorts = <S extends AnyOpSpec>(def: TestedOp<S>, attrs: AttrsOf<S>) => def.spec.signature(attrs).inputs as Record<string, Port>

const toTensors = <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>): KernelInputs<S> => {
  const ports = inputPorts(def, c.attrs)
  const given = c.inputs as Readonly<Record<string, F64 | undefined>>
  const entries = allInputs(def.spec).flatMap((name) => {
    const x = given[name]
    if (x === undefined) return []
    const dtype = ports[name]?.dtype ?? "float32"
    const values = dtype === "int32" ? Int32Array.from(x.data) : Float32Array.from(x.data)
    return [[name, tf.tensor(values, [...x.shape], dtype)] as const]
  })
  return Object.fromEntries(entries) as KernelInputs<S>
}

/** The case with float inputs rounded to float32. */
export const roundCase = <S extends AnyOpSpec>(c: OpCase<S>): OpCase<S> => ({
  ...c,
  inputs: Object.fromEntries(Object.entries(c.inputs as Record<string, F64>).map(([k, v]) => [k, roundToFloat32(v)])) as OpCase<S>["inputs"]
})

const readAll = async (tensors: ReadonlyArray<tf.Tensor>): Promise<Float64Array[]> => Promise.all(tensors.map(async (t) => Float64Array.from(await t.data())))

export const kernelForward = async <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>): Promise<Record<string, Float64Array>> => {
  const outputs = tf.tidy(() => {
    const result = applyOp(def, toTensors(def, c), c.attrs, contextOf(c)) as Record<string, tf.Tensor>
    return (def.spec.outputs as ReadonlyArray<string>).map((n) => result[n] as tf.Tensor)
  })
  const values = await readAll(outputs)
  tf.dispose(outputs)
  return Object.fromEntries((def.spec.outputs as ReadonlyArray<string>).map((n, i) => [n, values[i] as Float64Array]))
}

export const differentiableInputs = <S extends AnyOpSpec>(def: TestedOp<S>, attrs: AttrsOf<S>): ReadonlyArray<string> => {
  const ports = inputPorts(def, attrs)
  return (def.spec.differentiable as ReadonlyArray<string>).filter((n) => ports[n]?.dtype === "float32")
}

/** Cotangents for each output of the reference, uniform in [-1, 1]. */
export const makeCotangents = <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>, seed: number): Record<string, Float64Array> => {
  const next = seededUniform(seed)
  const outputs = def.reference.forward(c.inputs, c.attrs, contextOf(c)) as Record<string, F64>
  return Object.fromEntries(Object.entries(outputs).map(([n, o]) => [n, Float64Array.from(o.data, () => next())]))
}

/** Gradients of s = sum_o <out_o, cot_o> w.r.t. the differentiable inputs, from the kernel. */
export const kernelVjp = async <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>, cot: Record<string, Float64Array>): Promise<Record<string, Float64Array>> => {
  const names = differentiableInputs(def, c.attrs)
  const grads = tf.tidy(() => {
    const all = toTensors(def, c) as Record<string, tf.Tensor>
    const scalar = (...xs: tf.Tensor[]) => {
      const given = { ...all, ...Object.fromEntries(names.map((n, i) => [n, xs[i] as tf.Tensor])) } as KernelInputs<S>
      const outs = applyOp(def, given, c.attrs, contextOf(c)) as Record<string, tf.Tensor>
      const terms = (def.spec.outputs as ReadonlyArray<OutputsOf<S>>).map((n) => {
        const o = outs[n] as tf.Tensor
        return tf.sum(tf.mul(o, tf.tensor(Float32Array.from(cot[n] as Float64Array), o.shape)))
      })
      return tf.addN(terms)
    }
    return tf.grads(scalar)(names.map((n) => all[n] as tf.Tensor))
  })
  const values = await readAll(grads)
  tf.dispose(grads)
  return Object.fromEntries(names.map((n, i) => [n, values[i] as Float64Array]))
}

const referenceScalar = <S extends AnyOpSpec>(def: TestedOp<S>, inputs: OpCase<S>["inputs"], c: OpCase<S>, cot: Record<string, Float64Array>): number => {
  const outputs = def.reference.forward(inputs, c.attrs, contextOf(c)) as Record<string, F64>
  return Object.entries(outputs).reduce((s, [n, o]) => s + dot(o.data, cot[n] as Float64Array), 0)
}

/** Central difference of the reference scalar along `direction` (per input name). */
const centralDifference = <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>, cot: Record<string, Float64Array>, direction: Record<string, Float64Array>, step: number): number => {
  const shifted = (sign: number) =>
    Object.fromEntries(
      Object.entries(c.inputs as Record<string, F64>).map(([n, x]) => {
        const d = direction[n]
        return [n, d ? withData(x, x.data.map((v, i) => v + sign * step * (d[i] as number))) : x]
      })
    ) as OpCase<S>["inputs"]
  return (referenceScalar(def, shifted(1), c, cot) - referenceScalar(def, shifted(-1), c, cot)) / (2 * step)
}

const firstMismatch = (actual: Float64Array, expected: Float64Array, tol: OpTolerances["forward"]): string | undefined => {
  if (actual.length !== expected.length) return `length ${actual.length}, reference ${expected.length}`
  for (let i = 0; i < actual.length; i++)
    if (!within(actual[i] as number, expected[i] as number, tol)) return `element ${i}: kernel ${actual[i]}, reference ${expected[i]}`
  return undefined
}

export const checkForward = async <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>, tol: OpTolerances): Promise<string | undefined> => {
  const actual = await kernelForward(def, c)
  const expected = def.reference.forward(c.inputs, c.attrs, contextOf(c)) as Record<string, F64>
  for (const name of def.spec.outputs as ReadonlyArray<string>) {
    const problem = firstMismatch(actual[name] as Float64Array, (expected[name] as F64).data, tol.forward)
    if (problem) return `output "${name}": ${problem}`
  }
  return undefined
}

const scaleOfInputs = (c: OpCase<AnyOpSpec>, names: ReadonlyArray<string>): number =>
  Math.max(1, ...names.flatMap((n) => Array.from((c.inputs as Record<string, F64>)[n]?.data ?? []).map(Math.abs)))

export const checkVjp = async <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>, tol: OpTolerances, seed: number): Promise<string | undefined> => {
  const names = differentiableInputs(def, c.attrs)
  if (names.length === 0) return undefined
  const cot = makeCotangents(def, c, seed)
  const grads = await kernelVjp(def, c, cot)
  const step = tol.fdStep * scaleOfInputs(c as OpCase<AnyOpSpec>, names)
  const sizes = names.map((n) => (grads[n] as Float64Array).length)
  const total = sizes.reduce((a, b) => a + b, 0)
  const gradInf = Math.max(0, ...names.flatMap((n) => Array.from(grads[n] as Float64Array).map(Math.abs)))
  if (total <= maxPerCoordinate) {
    for (const [k, name] of names.entries()) {
      for (let i = 0; i < (sizes[k] as number); i++) {
        const basis = new Float64Array(sizes[k] as number)
        basis[i] = 1
        const fd = centralDifference(def, c, cot, { [name]: basis }, step)
        const g = (grads[name] as Float64Array)[i] as number
        if (!within(g, fd, tol.vjp, Math.max(Math.abs(fd), gradInf))) return `${gradName(name)}[${i}]: kernel ${g}, central difference of reference ${fd}`
      }
    }
    return undefined
  }
  const next = seededUniform(seed ^ 0x5bd1e995)
  for (let d = 0; d < directions; d++) {
    const direction = Object.fromEntries(names.map((n, k) => [n, Float64Array.from({ length: sizes[k] as number }, () => next())]))
    const fd = centralDifference(def, c, cot, direction, step)
    const lhs = names.reduce((s, n) => s + dot(grads[n] as Float64Array, direction[n] as Float64Array), 0)
    const scale = norm2(names.flatMap((n) => Array.from(grads[n] as Float64Array))) * norm2(names.flatMap((n) => Array.from(direction[n] as Float64Array)))
    if (!within(lhs, fd, tol.vjp, scale)) return `direction ${d}: <kernel VJP, t> = ${lhs}, central difference of reference = ${fd} (scale ${scale})`
  }
  return undefined
}

export const checkFinite = async <S extends AnyOpSpec>(def: TestedOp<S>, c: OpCase<S>, seed: number): Promise<string | undefined> => {
  const outputs = await kernelForward(def, c)
  for (const [name, values] of Object.entries(outputs)) if (!values.every(Number.isFinite)) return `output "${name}" is not finite`
  if (differentiableInputs(def, c.attrs).length === 0) return undefined
  const grads = await kernelVjp(def, c, makeCotangents(def, c, seed))
  for (const [name, values] of Object.entries(grads)) if (!values.every(Number.isFinite)) return `${gradName(name)} is not finite`
  return undefined
}
