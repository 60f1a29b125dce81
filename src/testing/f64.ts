/** Small helpers for Float64 reference arrays (F64) used by tests and references. */
import type { F64 } from "../ops/contract.ts"

export const f64 = (shape: ReadonlyArray<number>, values?: ArrayLike<number>): F64 => {
  const size = shape.reduce((a, b) => a * b, 1)
  const data = values ? Float64Array.from(values) : new Float64Array(size)
  if (data.length !== size) throw new Error(`f64: ${data.length} values for shape [${shape.join(", ")}]`)
  return { shape: [...shape], data }
}

/** Round every value to float32, so the kernel and the reference see the same numbers. */
export const roundToFloat32 = (x: F64): F64 => ({ shape: x.shape, data: x.data.map(Math.fround) })

export const withData = (x: F64, data: Float64Array): F64 => ({ shape: x.shape, data })

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

export const norm2 = (a: ArrayLike<number>): number => Math.sqrt(dot(a, a))

/** A small seeded generator (mulberry32) for cotangents and directions. */
export const seededUniform = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
}
