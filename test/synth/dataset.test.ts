/**
 * The synthetic dataset end to end on tiny settings: it reads back with
 * src/data's reader (frame counts, sizes, fit and truth files), the same seed
 * gives the same bytes, another seed another person, and the camera frames the
 * person as documented.
 */
import assert from "node:assert/strict"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { Effect } from "effect"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { toScreen } from "../../src/synth/camera.ts"
import { DEFAULT_OPTIONS, type SynthOptions, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { withTempDir } from "../io/paths.ts"

const body = openBody()
const tiny: SynthOptions = { ...DEFAULT_OPTIONS, frames: 3, size: 64, testFrames: 2, novelPoseFrames: 2, textureSize: 128, noise: { degrees: 5, centimetres: 2 } }

const write = (dir: string, options: SynthOptions) => Effect.runPromise(writeSynthetic(dir, synthesize(body, options)))

/** Every file under dir (relative path -> bytes); npz archives carry a fixed time stamp, so bytes compare too. */
const contents = (dir: string): Map<string, Buffer> => {
  const out = new Map<string, Buffer>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out.set(path.slice(dir.length + 1), readFileSync(path))
  }
  return out
}

describe("synthetic dataset", () => {
  it("reads back with readGaussianAvatar: splits, frame counts, sizes, fit and truth", () => withTempDir(async (dir) => {
    await write(dir, tiny)
    const expected = { train: 3, test: 2, novel_pose: 2 }
    for (const [split, frames] of Object.entries(expected)) {
      const fit = await Effect.runPromise(readGaussianAvatar(join(dir, split)))
      const truth = await Effect.runPromise(readGaussianAvatar(join(dir, split), { smplParams: "smpl_parms_gt.npz" }))
      assert.equal(fit.size, frames, split)
      assert.equal(truth.size, frames, split)
      const sample = await Effect.runPromise(truth.sample(frames - 1))
      assert.deepEqual(sample.tensors.image?.shape, [64, 64, 3])
      const mask = sample.tensors.mask!.data
      const foreground = Array.from(mask).reduce((n, m) => n + m, 0) / mask.length
      assert.ok(foreground > 0.05 && foreground < 0.5, `${split}: foreground fraction ${foreground}`)
      // Noise 5 degrees: the fit differs from the truth.
      const fitPose = (await Effect.runPromise(fit.sample(0))).tensors.pose!.data
      const truePose = (await Effect.runPromise(truth.sample(0))).tensors.pose!.data
      assert.ok(fitPose.some((x, i) => Math.abs(x - truePose[i]!) > 1e-3), `${split}: fit equals truth`)
    }
    for (const file of ["contact_sheet.png", "synth.json"]) assert.ok(readFileSync(join(dir, file)).length > 0)
    assert.ok(readdirSync(join(dir, "overlays")).length >= 5)
    const json = JSON.parse(readFileSync(join(dir, "synth.json"), "utf8"))
    assert.equal(json.seed, tiny.seed)
    assert.deepEqual(json.noise, tiny.noise)
    assert.equal(json.splits.test.views.length, 2)
  }))

  it("the same seed writes the same files; another seed another dataset", () => withTempDir(async (dir) => {
    await write(join(dir, "a"), tiny)
    await write(join(dir, "b"), tiny)
    await write(join(dir, "c"), { ...tiny, seed: 2 })
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((s) => contents(join(dir, s))))
    assert.deepEqual([...a!.keys()].sort(), [...b!.keys()].sort())
    for (const [key, value] of a!) assert.deepEqual(b!.get(key), value, key)
    assert.notDeepEqual(c!.get("train/images/00001.png"), a!.get("train/images/00001.png"))
  }))

  it("a rerun into the same folder leaves no earlier frames; a foreign non-empty folder is refused", () => withTempDir(async (dir) => {
    await write(dir, { ...tiny, frames: 4 })
    await write(dir, tiny)
    assert.equal(readdirSync(join(dir, "train", "images")).length, 3)
    const data = await Effect.runPromise(readGaussianAvatar(join(dir, "train")))
    assert.equal(data.size, 3)
    const foreign = join(dir, "train", "images")
    const error = await Effect.runPromise(Effect.flip(writeSynthetic(foreign, synthesize(body, tiny))))
    assert.match(error.message, /not empty and holds no synth.json/)
  }))

  it("the camera looks at the person's middle and the person fills about 80% of the image height", () => {
    const synthetic = synthesize(body, { ...tiny, noise: { degrees: 0, centimetres: 0 } })
    const { camera } = synthetic.studio
    const centre = toScreen(camera, Float64Array.from(synthetic.studio.pivot))
    assert.ok(Math.abs(centre[0]! - 31.5) < 1e-9 && Math.abs(centre[1]! - 31.5) < 1e-9, `pivot at (${centre[0]}, ${centre[1]})`)
    const mask = synthetic.splits[0]!.frames[0]!.mask
    const rows = Array.from({ length: 64 }, (_, y) => mask.data.subarray(64 * y, 64 * y + 64).some((m) => m >= 128))
    const height = rows.lastIndexOf(true) - rows.indexOf(true) + 1
    assert.ok(height >= 0.72 * 64 && height <= 0.9 * 64, `person ${height} of 64 rows`)
  })
})
