/** openTrainingData finds the layout by looking at the folder: GaussianAvatar split or subject, InstantAvatar subject, or a clear error. */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openTrainingData } from "../../src/avatar/datasets.ts"
import { writeGaussianAvatar } from "../../src/data/write.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { encodeNpy } from "../../src/io/npy.ts"
import { encodeNpz } from "../../src/io/npz.ts"
import { encodePng } from "../../src/io/png.ts"
import { frameImage, H, N, sequence, W } from "../data/fixtures.ts"
import { withTempDir } from "../io/paths.ts"

const writeInstantAvatar = (folder: string): void => {
  mkdirSync(join(folder, "images"), { recursive: true })
  mkdirSync(join(folder, "masks"))
  for (let i = 0; i < N; i++) {
    writeFileSync(join(folder, "images", `image_${String(i).padStart(4, "0")}.png`), encodePng(frameImage(i)))
    writeFileSync(join(folder, "masks", `mask_${String(i).padStart(4, "0")}.npy`), encodeNpy(ndarray([H, W], new Float32Array(W * H).fill(1))))
  }
  writeFileSync(join(folder, "cameras.npz"), encodeNpz({
    intrinsic: ndarray([3, 3], Float64Array.from([400, 0, 3, 0, 400, 2, 0, 0, 1])),
    extrinsic: ndarray([4, 4], Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0))),
    height: ndarray([], BigInt64Array.from([BigInt(H)])),
    width: ndarray([], BigInt64Array.from([BigInt(W)]))
  }))
  writeFileSync(join(folder, "poses.npz"), encodeNpz({ betas: ndarray([10], new Float32Array(10)), thetas: ndarray([N, 72], new Float32Array(N * 72)), transl: ndarray([N, 3], new Float32Array(N * 3)) }))
}

describe("openTrainingData", () => {
  it("detects a GaussianAvatar split, a GaussianAvatar subject and an InstantAvatar subject (with a frame selection)", () =>
    withTempDir(async (dir) => {
      await Effect.runPromise(writeGaussianAvatar(join(dir, "ga", "train"), sequence()))
      writeInstantAvatar(join(dir, "ia"))
      const split = await Effect.runPromise(openTrainingData(join(dir, "ga", "train")))
      assert.deepEqual([split.layout, split.folder, split.dataset.size], ["GaussianAvatar", join(dir, "ga", "train"), N])
      const subject = await Effect.runPromise(openTrainingData(join(dir, "ga")))
      assert.deepEqual([subject.layout, subject.folder], ["GaussianAvatar", join(dir, "ga", "train")])
      const ia = await Effect.runPromise(openTrainingData(join(dir, "ia")))
      assert.deepEqual([ia.layout, ia.folder, ia.dataset.size], ["InstantAvatar", join(dir, "ia"), N])
      const picked = await Effect.runPromise(openTrainingData(join(dir, "ia"), { start: 0, end: 2, step: 2 }))
      assert.equal(picked.dataset.size, 2)
      const refused = await Effect.runPromise(Effect.flip(openTrainingData(join(dir, "ga"), { start: 0, end: 2, step: 2 })))
      assert.match(refused.message, /a frame selection applies to InstantAvatar subjects/)
    }))

  it("names the folder and the layouts it looked for", () =>
    withTempDir(async (dir) => {
      const error = await Effect.runPromise(Effect.flip(openTrainingData(dir)))
      assert.equal(error._tag, "DatasetError")
      assert.equal(error.file, dir)
      assert.match(error.message, /not a dataset: expected cam_parms.npz .* cameras.npz \(InstantAvatar \/ People-Snapshot\)/)
    }))
})
