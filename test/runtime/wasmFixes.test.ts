/**
 * The wasm backend's gradient fixes (explicit-transpose MatMul, composed
 * Conv2DBackpropFilter, Conv2D input gradient as a conv2d, broadcast Sum/Mean
 * gradients, ScatterNd gather gradient) agree with the cpu
 * backend's stock gradients on random shapes and values; its Slice and SplitV kernels copy the same values.
 */
import * as tf from "@tensorflow/tfjs"
import * as fc from "fast-check"
import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { useBackend } from "../../src/testing/backends.ts"
import { tolerances, within } from "../../src/testing/tolerances.ts"

/** The same gradient computation on cpu (stock gradients) and wasm (fixed ones). */
const onBoth = async (shapes: ReadonlyArray<ReadonlyArray<number>>, values: ReadonlyArray<Float32Array>, grads: (xs: tf.Tensor[]) => tf.Tensor[]) => {
  const results: Float32Array[][] = []
  for (const backend of ["cpu", "wasm"] as const) {
    assert.equal((await useBackend(backend)).ok, true)
    const out = tf.tidy(() => grads(values.map((v, i) => tf.tensor(v, [...(shapes[i] as number[])]))))
    results.push(await Promise.all(out.map(async (t) => (await t.data()) as Float32Array)))
    tf.dispose(out)
  }
  return results as [Float32Array[], Float32Array[]]
}

const assertClose = ([cpu, wasm]: [Float32Array[], Float32Array[]]) => {
  const tol = tolerances.wasmFixes.wasm.forward
  cpu.forEach((expected, k) => {
    const actual = wasm[k] as Float32Array
    assert.equal(actual.length, expected.length)
    expected.forEach((e, i) => assert.ok(within(actual[i] as number, e, tol), `gradient ${k}[${i}]: wasm ${actual[i]}, cpu ${e}`))
  })
}

const values = (shape: ReadonlyArray<number>) =>
  fc.float32Array({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true, minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })

describe("wasm gradient fixes agree with cpu", () => {
  it("MatMul with every transpose combination, batched", async () => {
    const cases = fc.record({ b: fc.integer({ min: 1, max: 2 }), m: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }), ta: fc.boolean(), tb: fc.boolean() })
    await fc.assert(
      fc.asyncProperty(cases.chain((c) => fc.tuple(fc.constant(c), values([c.b, c.ta ? c.k : c.m, c.ta ? c.m : c.k]), values([c.b, c.tb ? c.n : c.k, c.tb ? c.k : c.n]))), async ([c, a, b]) => {
        const shapes = [[c.b, c.ta ? c.k : c.m, c.ta ? c.m : c.k], [c.b, c.tb ? c.n : c.k, c.tb ? c.k : c.n]]
        assertClose(await onBoth(shapes, [a, b], (xs) => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, c.ta, c.tb))))(xs)))
      }),
      { numRuns: 20 }
    )
  })

  it("Conv2D and Conv2DTranspose input and filter gradients (strides, same and valid padding)", async () => {
    const cases = fc.record({
      h: fc.integer({ min: 3, max: 7 }),
      w: fc.integer({ min: 3, max: 7 }),
      ci: fc.integer({ min: 1, max: 3 }),
      co: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 4 }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.constantFrom("same" as const, "valid" as const)
    }).filter((c) => c.k <= Math.min(c.h, c.w))
    await fc.assert(
      fc.asyncProperty(cases.chain((c) => fc.tuple(fc.constant(c), values([1, c.h, c.w, c.ci]), values([c.k, c.k, c.ci, c.co]))), async ([c, x, f]) => {
        const shapes: [number, number, number, number][] = [[1, c.h, c.w, c.ci], [c.k, c.k, c.ci, c.co]]
        const conv = (xs: tf.Tensor[]) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad))))(xs)
        assertClose(await onBoth(shapes, [x, f], conv))
        const outSize = (n: number) => Math.ceil((c.pad === "same" ? n : n - c.k + 1) / c.stride)
        const outShape = [1, outSize(c.h), outSize(c.w), c.co]
        const dyValues = Float32Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i))
        const transposed = (xs: tf.Tensor[]) =>
          tf.grads((dy: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(dy as tf.Tensor4D, b as tf.Tensor4D, shapes[0] as [number, number, number, number], c.stride, c.pad))))(xs)
        assertClose(await onBoth([outShape, [c.k, c.k, c.ci, c.co]], [dyValues, f], transposed))
      }),
      { numRuns: 20 }
    )
  })

  it("GatherV2 with repeated indices on any axis", async () => {
    const cases = fc.record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 4 }), axis: fc.integer({ min: 0, max: 1 }), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) })
    await fc.assert(
      fc.asyncProperty(cases.chain((c) => fc.tuple(fc.constant(c), values([c.rows, c.cols]))), async ([c, x]) => {
        const size = c.axis === 0 ? c.rows : c.cols
        const indices = c.picks.map((p) => p % size)
        const result = await onBoth([[c.rows, c.cols]], [x], (xs) =>
          tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.gather(a, tf.tensor1d(indices, "int32"), c.axis), tf.range(0, indices.length * (c.axis === 0 ? c.cols : c.rows)).reshape(c.axis === 0 ? [indices.length, c.cols] : [c.rows, indices.length]))))(xs)
        )
        assertClose(result)
      }),
      { numRuns: 20 }
    )
  })

  it("Sum and Mean over any axes, with and without kept dimensions", async () => {
    const cases = fc.record({ shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), axes: fc.array(fc.nat(), { maxLength: 3 }), keepDims: fc.boolean(), mean: fc.boolean() })
    await fc.assert(
      fc.asyncProperty(cases.chain((c) => fc.tuple(fc.constant(c), values(c.shape))), async ([c, x]) => {
        const axes = [...new Set(c.axes.map((a) => a % c.shape.length))]
        const reduce = c.mean ? tf.mean : tf.sum
        const weights = tf.range(1, 1 + reduce(tf.zeros(c.shape), axes, c.keepDims).size)
        const result = await onBoth([c.shape], [x], (xs) => tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.reshape(reduce(tf.square(a), axes, c.keepDims), [-1]), weights)))(xs))
        weights.dispose()
        assertClose(result)
      }),
      { numRuns: 30 }
    )
  })
  it("Slice and SplitV (the wasm kernels of wasmSlice.ts) copy the same values, any rank up to 5", async () => {
    const cases = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 })
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          begin: fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d - 1 }))),
          fraction: fc.tuple(...shape.map(() => fc.double({ min: 0, max: 1, noNaN: true }))),
          axis: fc.integer({ min: 0, max: shape.length - 1 }),
          x: values(shape)
        })
      )
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const size = c.shape.map((d, i) => Math.max(1, Math.round((c.fraction[i] as number) * (d - (c.begin[i] as number)))))
        const cut = Math.floor((c.shape[c.axis] as number) / 2)
        const parts = cut > 0 ? [cut, (c.shape[c.axis] as number) - cut] : [c.shape[c.axis] as number]
        const [cpu, wasm] = await onBoth([c.shape], [c.x], ([x]) => [tf.slice(x as tf.Tensor, c.begin, size), ...tf.split(x as tf.Tensor, parts, c.axis), tf.slice(tf.cast(x as tf.Tensor, "int32"), c.begin, size).toFloat()])
        assert.deepEqual(wasm.map((a) => Array.from(a)), cpu.map((a) => Array.from(a)))
      }),
      { numRuns: 40 }
    )
  })
})
