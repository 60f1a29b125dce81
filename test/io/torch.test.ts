import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { zipSync } from "fflate"
import { type NdArray, ndarray } from "../../src/io/ndarray.ts"
import { parseTorch, readTorch } from "../../src/io/torch.ts"
import { PickleWriter } from "./pickle-writer.ts"
import { tensorCall, torchZip } from "./torch-writer.ts"
import { sharedData } from "./paths.ts"

const run = <A, E>(e: Effect.Effect<A, E>): A => Effect.runSync(e)
const failure = <A, E>(e: Effect.Effect<A, E>): E => Effect.runSync(Effect.flip(e))

/** A torch.save zip of {"t": storage 0 viewed as its 2x3 transpose, "tail": storage 0 from element 2, length 2}. */
const smallTorchFile = (): Uint8Array => {
  const w = new PickleWriter().op(0x80, 2).op(0x7d, 0x28).str("t")
  tensorCall(w, "0", 6, 0, [3, 2], [1, 3]).str("tail")
  tensorCall(w, "0", 6, 2, [2], [1]).op(0x75, 0x2e)
  return zipSync({
    "archive/data.pkl": w.bytes(),
    "archive/data/0": new Uint8Array(Float32Array.from([0, 1, 2, 3, 4, 5]).buffer),
    "archive/version": Uint8Array.from([0x33, 0x0a])
  }, { level: 0 })
}

describe("torch .pth", () => {
  it("rebuilds strided tensors sharing one storage", () => {
    const value = run(parseTorch(smallTorchFile(), "small.pth")) as Map<string, NdArray>
    assert.deepEqual(value.get("t"), ndarray([3, 2], Float32Array.from([0, 3, 1, 4, 2, 5])))
    assert.deepEqual(value.get("tail"), ndarray([2], Float32Array.from([2, 3])))
  })

  it("reads what the test writer assembles", () => {
    const value = run(parseTorch(torchZip({ a: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) } }), "w.pth")) as Map<string, NdArray>
    assert.deepEqual(value, new Map([["a", ndarray([2, 2], Float32Array.from([1, 2, 3, 4]))]]))
  })

  it("names the file when a storage entry is missing or the file is not a zip", () => {
    const bytes = smallTorchFile()
    const noStorage = zipSync({ "archive/data.pkl": tensorCall(new PickleWriter().op(0x80, 2), "9", 1, 0, [1], [1]).op(0x2e).bytes() })
    assert.match(failure(parseTorch(noStorage, "bad.pth")).message, /^bad\.pth: missing tensor storage entry archive\/data\/9/)
    assert.match(failure(parseTorch(bytes.subarray(30), "cut.pth")).message, /^cut\.pth: not a zip-format torch file/)
    assert.match(failure(parseTorch(zipSync({ "x.txt": new Uint8Array(1) }), "z.pth")).message, /no data\.pkl/)
  })

  const real = sharedData("original-test-pose/smpl_parms.pth")
  it("reads the original release's smpl_parms.pth", { skip: real.missing }, async () => {
    const value = (await Effect.runPromise(readTorch(real.path))) as Map<string, NdArray>
    assert.deepEqual([...value.keys()], ["beta", "body_pose", "trans"])
    assert.deepEqual(value.get("beta")?.shape, [1, 10])
    assert.deepEqual(value.get("body_pose")?.shape, [480, 72])
    assert.deepEqual(value.get("trans")?.shape, [480, 3])
    const near = (actual: unknown, expected: number) => assert.ok(Math.abs(Number(actual) - expected) < 1e-7, `${actual} vs ${expected}`)
    near(value.get("beta")?.data[0], -0.4732039)
    near(value.get("trans")?.data[1], 0.1688118)
    near(value.get("body_pose")?.data[480 * 72 - 1], 0.01028426)
  })
})
