/** A tiny SMPL-like model (6 vertices, 3 joints in a chain, 2 shape directions) as named arrays. */
import { type NdArray, ndarray } from "../../../src/io/ndarray.ts"

export const V = 6
export const J = 3
export const K = 2
export const P = 9 * (J - 1)

const ramp = (n: number, scale: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1) * scale)

export const smplArrays = (): Record<string, NdArray> => {
  const weights = new Float64Array(V * J)
  for (let v = 0; v < V; v++) {
    const j = v % J
    weights[v * J + j] = 0.75
    weights[v * J + ((j + 1) % J)] = 0.25
  }
  const regressor = new Float64Array(J * V)
  for (let j = 0; j < J; j++) { regressor[j * V + 2 * j] = 0.5; regressor[j * V + 2 * j + 1] = 0.5 }
  return {
    v_template: ndarray([V, 3], ramp(V * 3, 1)),
    shapedirs: ndarray([V, 3, K], ramp(V * 3 * K, 0.1)),
    posedirs: ndarray([V, 3, P], ramp(V * 3 * P, 0.01)),
    J_regressor: ndarray([J, V], regressor),
    weights: ndarray([V, J], weights),
    kintree_table: ndarray([2, J], BigInt64Array.from([4294967295n, 0n, 1n, 0n, 1n, 2n])),
    f: ndarray([4, 3], Uint32Array.from([0, 1, 2, 1, 3, 2, 2, 3, 4, 3, 5, 4]))
  }
}

/** Dense [rows, cols] row-major matrix in CSC form (what scipy pickles). */
export const toCsc = (dense: Float64Array, rows: number, cols: number) => {
  const data: Array<number> = []
  const indices: Array<number> = []
  const indptr = [0]
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      const x = dense[r * cols + c] as number
      if (x !== 0) { data.push(x); indices.push(r) }
    }
    indptr.push(data.length)
  }
  return { rows, cols, data: Float64Array.from(data), indices: Int32Array.from(indices), indptr: Int32Array.from(indptr) }
}
