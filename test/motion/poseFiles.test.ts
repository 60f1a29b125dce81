/** Motion files read by key: pose files, a split's smpl_parms.pth, AMASS (resampled, z-up turned), and errors naming the file and key. */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { SMPL_PARENTS } from "../../src/body/model.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { writeNpz } from "../../src/io/npz.ts"
import { axisAngleToMatrix } from "../../src/math/rotation.ts"
import type { MotionOptions } from "../../src/motion/motion.ts"
import { readMotion } from "../../src/motion/read.ts"
import { repoRoot, withTempDir } from "../io/paths.ts"

const n = 3
const ramp = (length: number, scale: number) => Float32Array.from({ length }, (_, i) => scale * i)
const options: MotionOptions = { fps: 30, skeleton: { parents: SMPL_PARENTS, restJoints: new Float64Array(72) } }
const read = (file: string) => Effect.runPromise(readMotion(file, options))
const write = async (file: string, arrays: Parameters<typeof writeNpz>[1]) => Effect.runPromise(writeNpz(file, arrays))

describe("motion files by key", () => {
  it("reads body_pose [N, 72] + transl, global_orient + body_pose [N, 69] + trans, and thetas", () =>
    withTempDir(async (dir) => {
      await write(join(dir, "a.npz"), { body_pose: ndarray([n, 72], ramp(n * 72, 0.01)), transl: ndarray([n, 3], ramp(n * 3, 0.1)) })
      await write(join(dir, "b.npz"), { global_orient: ndarray([n, 3], ramp(n * 3, 1)), body_pose: ndarray([n, 69], ramp(n * 69, 0.5)), trans: ndarray([n, 3], ramp(n * 3, 0.1)) })
      await write(join(dir, "c.npz"), { thetas: ndarray([n, 72], ramp(n * 72, 0.01)), transl: ndarray([n, 3], ramp(n * 3, 0.1)) })
      const a = await read(join(dir, "a.npz"))
      assert.equal(a.frames, n)
      assert.equal(a.world._tag, "Native")
      assert.ok(Math.abs((a.poses[72 + 5] as number) - 0.77) < 1e-6)
      const b = await read(join(dir, "b.npz"))
      assert.deepEqual(Array.from(b.poses.subarray(72, 76)), [3, 4, 5, 34.5])
      assert.deepEqual(Array.from(b.transl), Array.from(a.transl))
      assert.equal((await read(join(dir, "c.npz"))).frames, n)
    }))

  it("reads AMASS: the first 66 numbers, hands at rest, z-up turned to y-up, resampled from mocap_framerate to --fps", () =>
    withTempDir(async (dir) => {
      const frames = 13
      const poses = new Float32Array(frames * 156).fill(0.01)
      for (let i = 0; i < frames; i++) poses.set([0, 0, 0], 156 * i) // root at rest: the body stands along AMASS's +y, i.e. lies along -z in ours
      const trans = Float32Array.from({ length: frames * 3 }, (_, k) => (k % 3 === 2 ? 1 : k % 3 === 0 ? 0.1 * Math.floor(k / 3) : 0))
      await write(join(dir, "amass.npz"), { poses: ndarray([frames, 156], poses), trans: ndarray([frames, 3], trans), mocap_framerate: ndarray([], Float64Array.of(120)), betas: ndarray([16], new Float32Array(16)) })
      const motion = await read(join(dir, "amass.npz"))
      assert.equal(motion.world._tag, "YUp")
      assert.equal(motion.fps, 30)
      assert.equal(motion.frames, 4) // 12 frames at 120 Hz = 0.1 s: 4 frames at 30 Hz
      assert.deepEqual(Array.from(motion.poses.subarray(66, 72)), [0, 0, 0, 0, 0, 0])
      assert.ok(Math.abs((motion.poses[3] as number) - 0.01) < 1e-6)
      // Root: a quarter turn about x; AMASS's z (up) becomes our y.
      const root = axisAngleToMatrix(motion.poses, 0)
      assert.ok(Math.abs((root[4] as number) - 0) < 1e-9 && Math.abs((root[7] as number) + 1) < 1e-9, `root ${Array.from(root)}`)
      assert.deepEqual(Array.from(motion.transl.subarray(0, 3)).map((v) => +v.toFixed(6)), [0, 1, 0])
      assert.ok(Math.abs((motion.transl[9] as number) - 1.2) < 1e-6, "frame 3 at 30 Hz is frame 12 at 120 Hz")
    }))

  it("reads a GaussianAvatar split's smpl_parms.pth", { skip: existsSync(join(repoRoot, "../shared/data/original-test-pose/smpl_parms.pth")) ? false : "../shared/data/original-test-pose is absent here" }, async () => {
    const motion = await read(join(repoRoot, "../shared/data/original-test-pose/smpl_parms.pth"))
    assert.equal(motion.frames, 480)
    assert.equal(motion.world._tag, "Native")
  })

  it("names the file, the key and what is wrong", () =>
    withTempDir(async (dir) => {
      const nan = ramp(n * 72, 0)
      nan[80] = Number.NaN
      const cases: ReadonlyArray<readonly [string, Parameters<typeof writeNpz>[1], RegExp]> = [
        ["no-transl.npz", { body_pose: ndarray([n, 72], ramp(n * 72, 0)) }, /no transl.*it has: body_pose/],
        ["no-pose.npz", { transl: ndarray([n, 3], ramp(n * 3, 0)), betas: ndarray([10], ramp(10, 0)) }, /no body_pose or thetas.*it has: transl, betas/],
        ["short.npz", { body_pose: ndarray([n, 69], ramp(n * 69, 0)), transl: ndarray([n, 3], ramp(n * 3, 0)) }, /\[body_pose\] expected shape \[3, 72\], got \[3, 69\]/],
        ["counts.npz", { body_pose: ndarray([n, 72], ramp(n * 72, 0)), transl: ndarray([n + 1, 3], ramp((n + 1) * 3, 0)) }, /\[body_pose\] expected shape \[4, 72\], got \[3, 72\]/],
        ["nan.npz", { body_pose: ndarray([n, 72], nan), transl: ndarray([n, 3], ramp(n * 3, 0)) }, /\[body_pose\] element 80 is NaN/],
        ["amass.npz", { poses: ndarray([n, 150], ramp(n * 150, 0)), trans: ndarray([n, 3], ramp(n * 3, 0)), mocap_framerate: ndarray([], Float64Array.of(60)) }, /\[poses\] expected shape \[N, 156\] or \[N, 165\], got \[3, 150\]/]
      ]
      for (const [name, arrays, reason] of cases) {
        await write(join(dir, name), arrays)
        const result = await Effect.runPromise(Effect.either(readMotion(join(dir, name), options)))
        assert.ok(Either.isLeft(result), name)
        assert.equal(result.left._tag, "DatasetError")
        assert.equal(result.left.file, join(dir, name))
        assert.match(result.left.message, reason)
      }
      const other = await Effect.runPromise(Effect.either(readMotion(join(dir, "motion.fbx"), options)))
      assert.ok(Either.isLeft(other) && /not a motion file: gavatar reads \.npz, \.pth, \.bvh/.test(other.left.message))
    }))
})
