import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { zipSync } from "fflate"
import { type NdArray, ndarray, toFloat64 } from "../../src/io/ndarray.ts"
import { encodeNpy, parseNpy } from "../../src/io/npy.ts"
import { encodeNpz, parseNpz, readAll, readNpz } from "../../src/io/npz.ts"
import { npyWithHeader } from "./npy-header.ts"
import { sharedData } from "./paths.ts"

const run = <A, E>(e: Effect.Effect<A, E>): A => Effect.runSync(e)
const failure = <A, E>(e: Effect.Effect<A, E>): E => Effect.runSync(Effect.flip(e))

const samples: ReadonlyArray<NdArray> = [
  ndarray([2, 3], Float64Array.from([1, -2.5, 3, 1e300, -0, 6])),
  ndarray([4], Float32Array.from([0.5, -1, 3, 7])),
  ndarray([2, 2], BigInt64Array.from([0n, -1n, 4294967295n, 9007199254740993n])),
  ndarray([3], Int32Array.from([-7, 0, 2147483647])),
  ndarray([2], Uint32Array.from([0, 4294967295])),
  ndarray([1, 3], Uint8Array.from([0, 128, 255])),
  ndarray([3], Uint8Array.from([1, 0, 1]), "b1"),
  ndarray([], Float64Array.from([42])),
  ndarray([0, 3], new Float64Array(0))
]

describe("npy", () => {
  it("round-trips every supported dtype and shape", () => {
    for (const a of samples) {
      const back = run(parseNpy(encodeNpy(a), "a.npy"))
      assert.deepEqual(back, { dtype: a.dtype, shape: a.shape, data: a.data })
    }
  })

  it("reads big-endian data", () => {
    const body = new Uint8Array(16)
    new DataView(body.buffer).setFloat64(0, 1.5, false)
    new DataView(body.buffer).setFloat64(8, -3, false)
    const a = run(parseNpy(npyWithHeader("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", body), "be.npy"))
    assert.deepEqual(Array.from(a.data as Float64Array), [1.5, -3])
  })

  it("reorders Fortran-order data into C order", () => {
    // numpy.asfortranarray([[0, 1, 2], [3, 4, 5]]) stores 0 3 1 4 2 5
    const body = new Uint8Array(Int32Array.from([0, 3, 1, 4, 2, 5]).buffer)
    const a = run(parseNpy(npyWithHeader("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", body), "f.npy"))
    assert.deepEqual(Array.from(a.data as Int32Array), [0, 1, 2, 3, 4, 5])
  })

  it("reorders 3-d Fortran-order data", () => {
    // element (i, j, k) of a [2, 3, 2] array sits at i + 2 j + 6 k in Fortran order; its value is its C index 6 i + 2 j + k
    const stored = new Float32Array(12)
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) stored[i + 2 * j + 6 * k] = 6 * i + 2 * j + k
    const a = run(parseNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 2), }", new Uint8Array(stored.buffer)), "f3.npy"))
    assert.deepEqual(Array.from(a.data as Float32Array), Array.from({ length: 12 }, (_, i) => i))
  })

  it("rejects object arrays with a typed error naming the file and key", () => {
    const bytes = npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", Uint8Array.from([0x80, 2, 0x4e, 0x2e]))
    const error = failure(parseNpy(bytes, "data.npz", "joint2num"))
    assert.equal(error._tag, "IoError")
    assert.equal(error.file, "data.npz")
    assert.equal(error.key, "joint2num")
    assert.match(error.message, /data\.npz \[joint2num\]: object arrays/)
  })

  it("rejects truncated data and a bad magic", () => {
    const bytes = encodeNpy(samples[0]!)
    assert.match(failure(parseNpy(bytes.subarray(0, bytes.length - 1), "t.npy")).reason, /truncated/)
    assert.match(failure(parseNpy(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "t.npy")).reason, /bad magic/)
  })
})

describe("npz", () => {
  it("round-trips an archive, stored and compressed", () => {
    const arrays = { a: samples[0]!, kintree: samples[2]!, mask: samples[6]! }
    for (const compress of [false, true]) {
      const npz = run(parseNpz(encodeNpz(arrays, { compress }), "x.npz"))
      assert.deepEqual(npz.keys, ["a", "kintree", "mask"])
      assert.deepEqual(run(readAll(npz)), arrays)
    }
  })

  it("keeps other keys readable beside an object array, whose key fails by name", () => {
    const objectArray = npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (), }", Uint8Array.from([0x80, 2, 0x4e, 0x2e]))
    const npz = run(parseNpz(zipSync({ "a.npy": encodeNpy(samples[1]!), "joint2num.npy": objectArray }), "smplx.npz"))
    assert.deepEqual(run(npz.get("a")), samples[1])
    assert.match(failure(npz.get("joint2num")).message, /smplx\.npz \[joint2num\]: object arrays/)
  })

  const camera = sharedData("original-test-pose/cam_parms.npz")
  it("reads the original release's cam_parms.npz (f4 intrinsic, f8 extrinsic)", { skip: camera.missing }, async () => {
    const npz = await Effect.runPromise(readNpz(camera.path))
    const intrinsic = run(npz.get("intrinsic"))
    const extrinsic = run(npz.get("extrinsic"))
    assert.deepEqual([intrinsic.dtype, intrinsic.shape, Array.from(toFloat64(intrinsic))], ["f4", [3, 3], [1100, 0, 512, 0, 1100, 512, 0, 0, 1]])
    assert.deepEqual([extrinsic.dtype, extrinsic.shape, Array.from(toFloat64(extrinsic).slice(12))], ["f8", [4, 4], [0, 0, 0, 1]])
  })

  it("names the file and key of a missing entry", () => {
    const npz = run(parseNpz(encodeNpz({ a: samples[1]! }), "x.npz"))
    const error = failure(npz.get("b"))
    assert.equal(error.key, "b")
    assert.match(error.message, /x\.npz \[b\]: no array "b" \(keys: a\)/)
    assert.match(failure(parseNpz(Uint8Array.from([1, 2, 3, 4]), "y.npz")).message, /y\.npz: not a zip archive/)
  })
})
