import assert from "node:assert/strict"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { type InstantAvatarOptions, readInstantAvatar } from "../../src/data/instant-avatar.ts"
import { type NdArray, ndarray } from "../../src/io/ndarray.ts"
import { encodeNpy } from "../../src/io/npy.ts"
import { encodeNpz } from "../../src/io/npz.ts"
import { encodePng } from "../../src/io/png.ts"
import { npyWithHeader } from "../io/npy-header.ts"
import { withTempDir } from "../io/paths.ts"
import { H, W, frameImage } from "./fixtures.ts"

const FRAMES = 5
const thetas = Float64Array.from({ length: FRAMES * 72 }, (_, i) => i / 1000)

/** 5 frames; masks are float weights: 0.5 on row 0, 1 elsewhere. */
const writeSubject = (folder: string): void => {
  mkdirSync(join(folder, "images"), { recursive: true })
  mkdirSync(join(folder, "masks"))
  mkdirSync(join(folder, "poses"))
  for (let i = 0; i < FRAMES; i++) {
    const name = String(i).padStart(4, "0")
    writeFileSync(join(folder, "images", `image_${name}.png`), encodePng(frameImage(i)))
    const mask = new Float32Array(W * H).fill(1).fill(0.5, 0, W)
    writeFileSync(join(folder, "masks", `mask_${name}.npy`), encodeNpy(ndarray([H, W], mask)))
  }
  writeFileSync(join(folder, "cameras.npz"), encodeNpz({
    intrinsic: ndarray([3, 3], Float64Array.from([400, 0, 3, 0, 400, 2, 0, 0, 1])),
    extrinsic: ndarray([4, 4], Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0))),
    height: ndarray([], BigInt64Array.from([BigInt(H)])),
    width: ndarray([], BigInt64Array.from([BigInt(W)]))
  }))
  writeFileSync(join(folder, "poses.npz"), encodeNpz({
    betas: ndarray([1, 10], new Float32Array(10)),
    thetas: ndarray([FRAMES, 72], thetas),
    transl: ndarray([FRAMES, 3], new Float64Array(FRAMES * 3))
  }))
  // the train split: frames 0, 2, 4, refined (global_orient and body_pose from thetas, + 1)
  const rows = [0, 2, 4]
  writeFileSync(join(folder, "poses", "anim_nerf_train.npz"), encodeNpz(splitFit(rows)))
}

const splitFit = (rows: ReadonlyArray<number>, patch: (a: Record<string, NdArray>) => void = () => {}): Record<string, NdArray> => {
  const pick = (from: number, count: number) => Float64Array.from(rows.flatMap((r) => Array.from(thetas.subarray(72 * r + from, 72 * r + from + count), (x) => x + 1)))
  const arrays = {
    betas: ndarray([10], new Float64Array(10)),
    global_orient: ndarray([rows.length, 3], pick(0, 3)),
    body_pose: ndarray([rows.length, 69], pick(3, 69)),
    transl: ndarray([rows.length, 3], new Float64Array(rows.length * 3))
  }
  patch(arrays)
  return arrays
}

const train: InstantAvatarOptions = { split: "train", start: 0, end: 4, skip: 2 }
const open = (folder: string, options: InstantAvatarOptions) => Effect.runPromise(readInstantAvatar(folder, options))
const openError = (folder: string, options: InstantAvatarOptions) => Effect.runPromise(Effect.flip(readInstantAvatar(folder, options)))

describe("InstantAvatar / People-Snapshot layout", () => {
  it("uses the split's fit for the picked frames, and weights the image by the float mask", () => withTempDir(async (dir) => {
    const folder = join(dir, "female-3-casual")
    writeSubject(folder)
    const data = await open(folder, train)
    assert.equal(data.name, "female-3-casual/train")
    assert.equal(data.size, 3)
    const { image, mask, pose } = (await Effect.runPromise(data.sample(1))).tensors
    assert.deepEqual(Array.from(pose!.data), Array.from(thetas.subarray(144, 216), (x) => Math.fround(x + 1)))
    // frame 2, pixel (x=1, y=0): R = 21 / 255 at weight 0.5 on white
    assert.equal(image!.data[3], Math.fround((21 / 255) * 0.5 + 0.5))
    assert.equal(mask!.data[0], 0.5)
  }))

  it("falls back to poses.npz rows picked like the frames when the split has no fit file", () => withTempDir(async (dir) => {
    writeSubject(dir)
    const data = await open(dir, { split: "test", start: 1, end: 3 })
    assert.equal(data.size, 3)
    const { pose } = (await Effect.runPromise(data.sample(0))).tensors
    assert.deepEqual(Array.from(pose!.data), Array.from(thetas.subarray(72, 144), Math.fround))
  }))

  const whenOpening: ReadonlyArray<[string, (folder: string) => void, string, RegExp]> = [
    ["a missing mask", (f) => rmSync(join(f, "masks", "mask_0003.npy")), "masks", /4 masks for 5 images/],
    ["a split fit for other frames", (f) => writeFileSync(join(f, "poses", "anim_nerf_train.npz"), encodeNpz(splitFit([0, 1]))), "poses/anim_nerf_train.npz", /has 2 frames but there are 3 images/],
    ["NaN in transl", (f) => writeFileSync(join(f, "poses", "anim_nerf_train.npz"), encodeNpz(splitFit([0, 2, 4], (a) => { (a.transl!.data as Float64Array)[4] = NaN }))), "poses/anim_nerf_train.npz", /\[transl\] element 4 is NaN/],
    ["body_pose of the wrong width", (f) => writeFileSync(join(f, "poses", "anim_nerf_train.npz"), encodeNpz(splitFit([0, 2, 4], (a) => { a.body_pose = ndarray([3, 72], new Float64Array(216)) }))), "poses/anim_nerf_train.npz", /\[body_pose\] expected shape \[3, 69\]/],
    ["a camera without width", (f) => writeFileSync(join(f, "cameras.npz"), encodeNpz({ intrinsic: ndarray([3, 3], Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])), extrinsic: ndarray([4, 4], Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0))), height: ndarray([], Float64Array.from([H])) })), "cameras.npz", /\[width\] no array/]
  ]
  for (const [what, damage, file, reason] of whenOpening) {
    it(`names the file when opening, for ${what}`, () => withTempDir(async (dir) => {
      writeSubject(dir)
      damage(dir)
      const error = await openError(dir, train)
      assert.equal(error.file, join(dir, file))
      assert.match(error.reason, reason)
    }))
  }

  const whenSampling: ReadonlyArray<[string, (folder: string) => void, string, RegExp]> = [
    ["a mask of another shape", (f) => writeFileSync(join(f, "masks", "mask_0002.npy"), encodeNpy(ndarray([W, H], new Float32Array(W * H)))), "masks/mask_0002.npy", /mask is \[6, 4\] but its image is 6x4/],
    ["an image of another size than the camera's", (f) => writeFileSync(join(f, "images", "image_0002.png"), encodePng(frameImage(2, W + 2, H))), "images/image_0002.png", /image is 8x4, the camera file says 6x4/],
    ["an object-array mask", (f) => writeFileSync(join(f, "masks", "mask_0002.npy"), npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (4, 6), }", new Uint8Array(8))), "masks/mask_0002.npy", /object arrays/]
  ]
  for (const [what, damage, file, reason] of whenSampling) {
    it(`names the file when sampling, for ${what}`, () => withTempDir(async (dir) => {
      writeSubject(dir)
      damage(dir)
      const data = await open(dir, train)
      await Effect.runPromise(data.sample(0))
      const error = await Effect.runPromise(Effect.flip(data.sample(1)))
      assert.equal(error.file, join(dir, file))
      assert.match(error.reason, reason)
    }))
  }
})
