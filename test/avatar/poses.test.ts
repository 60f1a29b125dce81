/** Pose sequence files: the accepted key sets, and errors that name the file and list its keys. */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { join } from "node:path"
import { describe, it } from "node:test"
import { readPoseSequence } from "../../src/avatar/poses.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { writeNpz } from "../../src/io/npz.ts"
import { withTempDir } from "../io/paths.ts"

const n = 3
const ramp = (length: number, scale: number) => Float32Array.from({ length }, (_, i) => scale * i)

const write = async (file: string, arrays: Parameters<typeof writeNpz>[1]) => Effect.runPromise(writeNpz(file, arrays))

describe("readPoseSequence", () => {
  it("reads body_pose [N, 72] + transl, global_orient + body_pose [N, 69] + trans, and thetas", () =>
    withTempDir(async (dir) => {
      await write(join(dir, "a.npz"), { body_pose: ndarray([n, 72], ramp(n * 72, 0.01)), transl: ndarray([n, 3], ramp(n * 3, 0.1)) })
      await write(join(dir, "b.npz"), { global_orient: ndarray([n, 3], ramp(n * 3, 1)), body_pose: ndarray([n, 69], ramp(n * 69, 0.5)), trans: ndarray([n, 3], ramp(n * 3, 0.1)) })
      await write(join(dir, "c.npz"), { thetas: ndarray([n, 72], ramp(n * 72, 0.01)), transl: ndarray([n, 3], ramp(n * 3, 0.1)) })
      const a = await Effect.runPromise(readPoseSequence(join(dir, "a.npz")))
      assert.equal(a.frames, n)
      assert.ok(Math.abs((a.poses[72 + 5] as number) - 0.77) < 1e-6)
      const b = await Effect.runPromise(readPoseSequence(join(dir, "b.npz")))
      assert.deepEqual(Array.from(b.poses.subarray(72, 76)), [3, 4, 5, 34.5])
      assert.deepEqual(Array.from(b.transl), Array.from(a.transl))
      assert.equal((await Effect.runPromise(readPoseSequence(join(dir, "c.npz")))).frames, n)
    }))

  it("names the file, what is wrong and the keys it has", () =>
    withTempDir(async (dir) => {
      const cases: ReadonlyArray<readonly [string, Parameters<typeof writeNpz>[1], RegExp]> = [
        ["no-transl.npz", { body_pose: ndarray([n, 72], ramp(n * 72, 0)) }, /no transl.*it has: body_pose/],
        ["no-pose.npz", { transl: ndarray([n, 3], ramp(n * 3, 0)), betas: ndarray([10], ramp(10, 0)) }, /no body_pose or thetas.*it has: transl, betas/],
        ["short.npz", { body_pose: ndarray([n, 69], ramp(n * 69, 0)), transl: ndarray([n, 3], ramp(n * 3, 0)) }, /\[body_pose\] has shape \[3, 69\], expected \[N, 72\]/],
        ["counts.npz", { body_pose: ndarray([n, 72], ramp(n * 72, 0)), transl: ndarray([n + 1, 3], ramp((n + 1) * 3, 0)) }, /3 poses but 4 translations/]
      ]
      for (const [name, arrays, reason] of cases) {
        await write(join(dir, name), arrays)
        const result = await Effect.runPromise(Effect.either(readPoseSequence(join(dir, name))))
        assert.ok(Either.isLeft(result), name)
        assert.equal(result.left._tag, "DatasetError")
        assert.equal(result.left.file, join(dir, name))
        assert.match(result.left.message, reason)
      }
    }))
})
