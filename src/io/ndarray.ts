/**
 * A host n-dimensional array as numpy stores it: a dtype, a shape and the
 * elements in C (row-major) order. 64-bit integers stay exact as BigInt arrays;
 * booleans are a Uint8Array of 0/1.
 */

export type Dtype = "f8" | "f4" | "i8" | "i4" | "i2" | "i1" | "u8" | "u4" | "u2" | "u1" | "b1"

export type TypedData =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array

export interface NdArray {
  readonly dtype: Dtype
  readonly shape: ReadonlyArray<number>
  readonly data: TypedData
}

export const itemSize: { readonly [D in Dtype]: number } = {
  f8: 8, f4: 4, i8: 8, i4: 4, i2: 2, i1: 1, u8: 8, u4: 4, u2: 2, u1: 1, b1: 1
}

export const isDtype = (s: string): s is Dtype => Object.hasOwn(itemSize, s)

export const numel = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** A typed array of `dtype` viewing `buffer` (which must be aligned to the item size). */
export const viewAs = (dtype: Dtype, buffer: ArrayBuffer, count: number): TypedData => {
  switch (dtype) {
    case "f8": return new Float64Array(buffer, 0, count)
    case "f4": return new Float32Array(buffer, 0, count)
    case "i8": return new BigInt64Array(buffer, 0, count)
    case "u8": return new BigUint64Array(buffer, 0, count)
    case "i4": return new Int32Array(buffer, 0, count)
    case "i2": return new Int16Array(buffer, 0, count)
    case "i1": return new Int8Array(buffer, 0, count)
    case "u4": return new Uint32Array(buffer, 0, count)
    case "u2": return new Uint16Array(buffer, 0, count)
    case "u1": case "b1": return new Uint8Array(buffer, 0, count)
  }
}

/** The dtype that a typed array holds (Uint8Array reads as u1). */
export const dtypeOf = (data: TypedData): Dtype => {
  if (data instanceof Float64Array) return "f8"
  if (data instanceof Float32Array) return "f4"
  if (data instanceof BigInt64Array) return "i8"
  if (data instanceof BigUint64Array) return "u8"
  if (data instanceof Int32Array) return "i4"
  if (data instanceof Int16Array) return "i2"
  if (data instanceof Int8Array) return "i1"
  if (data instanceof Uint32Array) return "u4"
  if (data instanceof Uint16Array) return "u2"
  return "u1"
}

export const ndarray = (shape: ReadonlyArray<number>, data: TypedData, dtype: Dtype = dtypeOf(data)): NdArray => {
  if (numel(shape) !== data.length) throw new RangeError(`shape [${shape.join(", ")}] needs ${numel(shape)} elements, got ${data.length}`)
  return { dtype, shape: [...shape], data }
}

/** Elements as float64 (64-bit integers beyond 2^53 lose precision). */
export const toFloat64 = (a: NdArray): Float64Array =>
  a.data instanceof Float64Array ? a.data : Float64Array.from(a.data as ArrayLike<number | bigint>, Number)

export const toFloat32 = (a: NdArray): Float32Array =>
  a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number | bigint>, Number)

/**
 * Reorders elements stored in Fortran (column-major) order into C order.
 * Element (i0, ..., ik) sits at sum(i_d * prod(shape[0..d))) in the source.
 */
export const fortranToC = <T extends TypedData>(data: T, shape: ReadonlyArray<number>): T => {
  const out = new (data.constructor as new (n: number) => T)(data.length)
  const n = data.length
  const strides = shape.map((_, d) => numel(shape.slice(0, d)))
  const index = shape.map(() => 0)
  for (let c = 0; c < n; c++) {
    let f = 0
    for (let d = 0; d < shape.length; d++) f += (index[d] as number) * (strides[d] as number)
    ;(out as unknown as Array<unknown>)[c] = (data as unknown as Array<unknown>)[f]
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1
      if ((index[d] as number) < (shape[d] as number)) break
      index[d] = 0
    }
  }
  return out
}
