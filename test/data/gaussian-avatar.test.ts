import assert from "node:assert/strict"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect, Option } from "effect"
import jpeg from "jpeg-js"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { writeGaussianAvatar } from "../../src/data/write.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { encodeNpz } from "../../src/io/npz.ts"
import { encodePng } from "../../src/io/png.ts"
import { withTempDir } from "../io/paths.ts"
import { torchZip } from "../io/torch-writer.ts"
import { H, N, W, frameImage, leftHalfMask, sequence } from "./fixtures.ts"

const open = (folder: string, options = {}) => Effect.runPromise(readGaussianAvatar(folder, options))
const openError = (folder: string) => Effect.runPromise(Effect.flip(readGaussianAvatar(folder)))
const written = async (dir: string): Promise<string> => {
  const folder = join(dir, "subject", "train")
  await Effect.runPromise(writeGaussianAvatar(folder, sequence()))
  return folder
}

describe("GaussianAvatar layout", () => {
  it("reads back what the writer wrote, compositing on white through the mask", () => withTempDir(async (dir) => {
    const data = await open(await written(dir))
    assert.equal(data.name, "subject/train")
    assert.equal(data.size, N)
    const sample = await Effect.runPromise(data.sample(1))
    const { image, mask, pose, transl, betas, intrinsic, extrinsic } = sample.tensors
    assert.deepEqual(image?.shape, [H, W, 3])
    assert.deepEqual(mask?.shape, [H, W])
    // pixel (x=1, y=2) is foreground: (10 + 1, 40, 200) / 255; pixel (x=4, y=2) is background: white
    assert.deepEqual(Array.from(image!.data.slice(3 * (2 * W + 1), 3 * (2 * W + 1) + 3)), [11 / 255, 40 / 255, 200 / 255].map(Math.fround))
    assert.deepEqual(Array.from(image!.data.slice(3 * (2 * W + 4), 3 * (2 * W + 4) + 3)), [1, 1, 1])
    assert.deepEqual([mask!.data[2 * W + 1], mask!.data[2 * W + 4]], [1, 0])
    assert.deepEqual(Array.from(pose!.data), Array.from(sequence().poses.slice(72, 144)))
    assert.deepEqual(Array.from(transl!.data), Array.from(sequence().transl.slice(3, 6)))
    assert.deepEqual(betas?.shape, [10])
    assert.deepEqual(Array.from(intrinsic!.data), [500, 0, 2.5, 0, 500, 1.5, 0, 0, 1])
    assert.deepEqual(extrinsic?.shape, [4, 4])
    assert.deepEqual(Option.getOrThrow(data.perFrame("pose")).shape, [N, 72])
    assert.ok(Option.isNone(data.perFrame("nothing")))
    assert.match((await Effect.runPromise(Effect.flip(data.sample(N)))).reason, /frame 3 out of range \(3 frames\)/)
  }))

  it("downscales images, masks and intrinsics by an integer factor", () => withTempDir(async (dir) => {
    const data = await open(await written(dir), { downscale: 2 })
    const { image, mask, intrinsic } = (await Effect.runPromise(data.sample(0))).tensors
    assert.deepEqual(image?.shape, [2, 3, 3])
    // block (x 0..1, y 0..1) of frame 0: R = (0 + 1 + 0 + 1) / 4 / 255
    assert.equal(image?.data[0], Math.fround(0.5 / 255))
    // block x 2..3 straddles the mask edge: half foreground
    assert.deepEqual(Array.from(mask!.data.slice(0, 3)), [1, 0.5, 0])
    assert.deepEqual(Array.from(intrinsic!.data), [250, 0, 1, 0, 250, 0.5, 0, 0, 1])
  }))

  it("reads JPEG frames like PNG ones (within JPEG's loss)", () => withTempDir(async (dir) => {
    const folder = await written(dir)
    const png = (await Effect.runPromise((await open(folder)).sample(1))).tensors.image!.data
    const frame = frameImage(1)
    const rgba = new Uint8Array(W * H * 4)
    for (let i = 0; i < W * H; i++) rgba.set([...frame.data.slice(i * frame.channels, i * frame.channels + 3), 255], i * 4)
    rmSync(join(folder, "images", "00001.png"))
    writeFileSync(join(folder, "images", "00001.jpg"), jpeg.encode({ data: rgba, width: W, height: H }, 100).data)
    const fromJpeg = (await Effect.runPromise((await open(folder)).sample(1))).tensors.image!.data
    const worst = Math.max(...Array.from(png, (v, i) => Math.abs(v - (fromJpeg[i] as number))))
    assert.ok(worst < 0.15, `largest difference ${worst}`)
  }))

  it("reads the body fit from smpl_parms.pth, preferred over the npz as in the original", () => withTempDir(async (dir) => {
    const folder = await written(dir)
    const poses = new Float32Array(N * 72).fill(0.25)
    writeFileSync(join(folder, "smpl_parms.pth"), torchZip({
      beta: { shape: [1, 10], data: new Float32Array(10) },
      body_pose: { shape: [N, 72], data: poses },
      trans: { shape: [N, 3], data: new Float32Array(N * 3) }
    }))
    const sample = await Effect.runPromise((await open(folder)).sample(2))
    assert.deepEqual(Array.from(sample.tensors.pose!.data), Array.from(poses.slice(0, 72)))
  }))
})

describe("GaussianAvatar layout: damaged data gives DatasetError naming the file", () => {
  const npz = (folder: string, name: string, arrays: Parameters<typeof encodeNpz>[0]) => writeFileSync(join(folder, name), encodeNpz(arrays))
  const fit = (n: number, patch: (p: Float32Array) => void = () => {}) => {
    const poses = new Float32Array(n * 72)
    patch(poses)
    return { beta: ndarray([1, 10], new Float32Array(10)), body_pose: ndarray([n, 72], poses), trans: ndarray([n, 3], new Float32Array(n * 3)) }
  }
  const camera = (patch: (k: Float64Array) => void = () => {}, intrinsicShape = [3, 3]) => {
    const k = Float64Array.from([500, 0, 2.5, 0, 500, 1.5, 0, 0, 1, 0, 0, 0].slice(0, intrinsicShape[0]! * intrinsicShape[1]!))
    patch(k)
    return { intrinsic: ndarray(intrinsicShape, k), extrinsic: ndarray([4, 4], Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0))) }
  }

  const whenOpening: ReadonlyArray<[string, (folder: string) => void, string, RegExp]> = [
    ["a missing mask", (f) => rmSync(join(f, "masks", "00001.png")), "masks/00001.png", /mask of frame 00001\.png not found/],
    ["more poses than images", (f) => npz(f, "smpl_parms.npz", fit(N + 1)), "smpl_parms.npz", /body_pose has 4 frames but there are 3 images/],
    ["a missing key", (f) => npz(f, "smpl_parms.npz", { beta: fit(N).beta, body_pose: fit(N).body_pose }), "smpl_parms.npz", /\[trans\] no array "trans"/],
    ["a wrong camera shape", (f) => npz(f, "cam_parms.npz", camera(() => {}, [3, 4])), "cam_parms.npz", /\[intrinsic\] expected shape \[3, 3\], got \[3, 4\]/],
    ["NaN in the poses", (f) => npz(f, "smpl_parms.npz", fit(N, (p) => { p[80] = NaN })), "smpl_parms.npz", /\[body_pose\] element 80 is NaN/],
    ["NaN in the camera", (f) => npz(f, "cam_parms.npz", camera((k) => { k[0] = NaN })), "cam_parms.npz", /\[intrinsic\] element 0 is NaN/],
    ["a camera that is not world to camera", (f) => npz(f, "cam_parms.npz", { ...camera(), extrinsic: ndarray([4, 4], new Float64Array(16)) }), "cam_parms.npz", /\[extrinsic\] bottom row must be 0 0 0 1/],
    ["a frame without its mask", (f) => writeFileSync(join(f, "images", "00003.jpg"), new Uint8Array(4)), "masks/00003.png", /mask of frame 00003\.jpg not found/],
    ["no camera file", (f) => rmSync(join(f, "cam_parms.npz")), "cam_parms.npz", /file not found/]
  ]
  for (const [what, damage, file, reason] of whenOpening) {
    it(`when opening, for ${what}`, () => withTempDir(async (dir) => {
      const folder = await written(dir)
      damage(folder)
      const error = await openError(folder)
      assert.equal(error._tag, "DatasetError")
      assert.equal(error.file, join(folder, file))
      assert.match(error.reason, reason)
    }))
  }

  const whenSampling: ReadonlyArray<[string, (folder: string) => void, string, RegExp]> = [
    ["an unreadable image", (f) => writeFileSync(join(f, "images", "00001.png"), new Uint8Array([1, 2, 3])), "images/00001.png", /not a PNG image/],
    ["a mask of another size", (f) => writeFileSync(join(f, "masks", "00001.png"), encodePng(leftHalfMask(W, H + 1))), "masks/00001.png", /mask is 6x5 but its image is 6x4/],
    ["a damaged JPEG frame", (f) => { rmSync(join(f, "images", "00001.png")); writeFileSync(join(f, "images", "00001.jpg"), new Uint8Array([0xff, 0xd8, 0, 1])) }, "images/00001.jpg", /./],
    ["a truncated image", (f) => writeFileSync(join(f, "images", "00001.png"), encodePng(frameImage(1)).subarray(0, 50)), "images/00001.png", /./]
  ]
  for (const [what, damage, file, reason] of whenSampling) {
    it(`when sampling, for ${what}`, () => withTempDir(async (dir) => {
      const folder = await written(dir)
      damage(folder)
      const data = await open(folder)
      await Effect.runPromise(data.sample(0))
      const error = await Effect.runPromise(Effect.flip(data.sample(1)))
      assert.equal(error.file, join(folder, file))
      assert.match(error.reason, reason)
    }))
  }
})
