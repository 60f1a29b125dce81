/**
 * Element reads for the hot loops, one helper per array type so that each
 * keeps monomorphic type feedback in V8 (a shared `at` over several typed
 * array kinds becomes a megamorphic load and costs several times more).
 */
export const f32 = (a: Float32Array, i: number): number => a[i] as number
export const f64 = (a: Float64Array, i: number): number => a[i] as number
export const i32 = (a: Int32Array, i: number): number => a[i] as number
