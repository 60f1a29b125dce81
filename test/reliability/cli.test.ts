/**
 * Late failures and output paths, through the command line on a tiny synthetic dataset (2 frames of
 * 48x48, a tiny preset, stage 1 only): what used to train for a while and then fail, or print a
 * Node trace, is now one line and exit 1 before any work. A preset whose featureSize stage 2
 * cannot take, or with unknown fields; a camera or body fit that does not project into the image;
 * a render too large for memory; an --out that is a file, read-only, or on a full disk; a full disk
 * in the middle of training (exit 1, the last checkpoint kept), eval or render (no empty or partial
 * PNG left); hostile files in a dataset.
 */
import { Effect, Option } from "effect"
import assert from "node:assert/strict"
import { createHash } from "node:crypto"
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { readGaussianAvatar } from "../../src/data/gaussian-avatar.ts"
import { readCheckpoint } from "../../src/runtime/checkpointFiles.ts"
import { checkBothStages, defaultChoices } from "../../src/graphs/avatar/avatar.ts"
import { presets } from "../../src/graphs/avatar/presets.ts"
import { decodePng } from "../../src/io/png.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { readNpz, writeNpz } from "../../src/io/npz.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { gavatar } from "../cli/capture.ts"
import { tempDir } from "../runtime/helpers.ts"
import { hugePng, torchView } from "./hostile.ts"
import { fillDisk, mountTmpfs, type Tmpfs, tmpfsUnavailable } from "./tmpfs.ts"

const dir = tempDir("late")
const data = join(dir, "data")
const train = join(data, "train")
const run = join(dir, "run")
const tiny = join(dir, "tiny.json")
const sizes = { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }

/** A copy of the training split with `change` applied to its folder. */
const variant = async (name: string, change: (folder: string) => Promise<void> | void): Promise<string> => {
  const folder = join(dir, name)
  cpSync(train, folder, { recursive: true })
  await change(folder)
  return folder
}

const rewriteNpz = async (file: string, edit: (arrays: Record<string, ReturnType<typeof ndarray>>) => void) => {
  const npz = await Effect.runPromise(readNpz(file))
  const arrays: Record<string, ReturnType<typeof ndarray>> = {}
  for (const key of npz.keys) arrays[key] = await Effect.runPromise(npz.get(key)) as ReturnType<typeof ndarray>
  edit(arrays)
  await Effect.runPromise(writeNpz(file, arrays))
}

/** SHA-256 of every file of the trained run's stage folder. */
const checkpointDigests = (): Record<string, string> =>
  Object.fromEntries(readdirSync(join(run, "stage1")).map((name) => [name, createHash("sha256").update(readFileSync(join(run, "stage1", name))).digest("hex")]))
let finished: Record<string, string> = {}

/** One line on stderr, exit 1, matching `pattern`. */
const failsWithOneLine = (result: Awaited<ReturnType<typeof gavatar>>, pattern: RegExp) => {
  assert.equal(result.code, 1, result.err.join("\n"))
  assert.equal(result.err.length, 1, result.err.join("\n"))
  assert.match(result.err[0] ?? "", pattern)
}

after(() => rmSync(dir, { recursive: true, force: true }))

describe("late failures become early one-line errors", () => {
  before(async () => {
    await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 2, textureSize: 128 })))
    writeFileSync(tiny, JSON.stringify({ name: "tiny", sizes, epochs: { stage1: 2, stage2: 1 }, poseFrom: 0 }))
    const trained = await gavatar("train", "--data", data, "--out", run, "--preset", tiny, "--stage", "1")
    assert.equal(trained.code, 0, trained.err.join("\n"))
    finished = checkpointDigests()
  })

  it("a preset whose featureSize stage 2's pose encoder cannot take fails before stage 1 trains", async () => {
    const preset = join(dir, "fs30.json")
    writeFileSync(preset, JSON.stringify({ name: "fs30", sizes: { ...sizes, featureSize: 30 }, epochs: { stage1: 2, stage2: 1 } }))
    const out = join(dir, "run-fs30")
    failsWithOneLine(await gavatar("train", "--data", data, "--out", out, "--preset", preset), /fs30\.json: not a preset: "sizes\.featureSize": featureSize must be a multiple of 32 \(stage 2's pose encoder halves it 5 times\), got 30$/)
    assert.ok(!existsSync(join(out, "stage1")), "no training happened")
  })

  it("both stages are built and typechecked before the first step (a preset made in code, past the schema)", async () => {
    const preset = { ...presets.quick, sizes: { ...sizes, featureSize: 30 } }
    const subject = { betas: new Float64Array(10), intrinsic: [60, 0, 24, 0, 60, 24, 0, 0, 1], width: 48, height: 48 }
    const result = await Effect.runPromise(Effect.either(checkBothStages({ ...defaultChoices(1), preset }, subject)))
    assert.ok(result._tag === "Left")
    assert.equal(result.left.message, `graph "stage2", building the graph: pose encoder: size 30 is not divisible by 2^5`)
  })

  it("a preset with unknown fields is refused with the list of known fields", async () => {
    const preset = join(dir, "typo.json")
    writeFileSync(preset, JSON.stringify({ name: "typo", epochz: 30, learningRate: 0.1, sizes: { ...sizes, depth: 3 } }))
    failsWithOneLine(
      await gavatar("train", "--data", data, "--out", join(dir, "run-typo"), "--preset", preset),
      /typo\.json: not a preset: unknown fields "epochz", "learningRate" \(known fields: name, sizes, epochs, batchSize, poseFrom, posePrior, translPrior, poseStart, poseRefinement, checkpointEpochs, scaleWarmUp\)$/
    )
    // The same on the finished run's folder (its checkpoints must not change: see "the finished run").
    failsWithOneLine(await gavatar("train", "--data", data, "--out", run, "--preset", preset), /typo\.json: not a preset: unknown fields/)
  })

  it("a focal length of 1e30 or a translation of 3e38: refused at the start, naming the frames", async () => {
    const focal = await variant("focal", (f) => rewriteNpz(join(f, "cam_parms.npz"), (a) => { a["intrinsic"] = ndarray([3, 3], Float64Array.from([1e30, 0, 24, 0, 1e30, 24, 0, 0, 1])) }))
    failsWithOneLine(await gavatar("train", "--data", focal, "--out", join(dir, "run-focal"), "--preset", tiny), /focal: the body fit does not project into the image in 2 of 2 frames \(0, 1\): frame 0's body is outside the 48x48 image .*; check the camera and the body fit$/)
    assert.ok(!existsSync(join(dir, "run-focal", "run.json")), "nothing recorded for a run that cannot train")
    const far = await variant("far", (f) => rewriteNpz(join(f, "smpl_parms.npz"), (a) => { a["trans"] = ndarray([2, 3], Float32Array.from([0, 0, 3e38, 0, 0, 3e38])) }))
    failsWithOneLine(await gavatar("train", "--data", far, "--out", join(dir, "run-far"), "--preset", tiny), /far: the body fit does not project into the image in 2 of 2 frames \(0, 1\): frame 0's body is /)
  })

  it("render --size 8000x8000: refused with the largest size that fits, before rendering", async () => {
    const out = join(dir, "render-huge")
    const result = await gavatar("render", "--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", out, "--size", "8000x8000")
    failsWithOneLine(result, /^gavatar render: rendering 8000x8000 needs about [\d.]+ GB of the WebAssembly rasteriser's memory, which holds 1\.0 GB; the largest size of this shape that fits is (\d+)x\1 \(--size\)$/)
    assert.deepEqual(readdirSync(out), [], "no frame rendered")
  })

  it("an --out that is an existing file: one line for train, eval and render", async () => {
    const file = join(dir, "a-file")
    writeFileSync(file, "")
    const pattern = new RegExp(`${file}: output folder cannot be written: is a file, not a folder$`)
    failsWithOneLine(await gavatar("train", "--data", data, "--out", file, "--preset", tiny), pattern)
    failsWithOneLine(await gavatar("eval", "--run", run, "--split", join(data, "test"), "--out", file), pattern)
    failsWithOneLine(await gavatar("render", "--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", file), pattern)
  })

  it("a body fit holding a stride-0 tensor [20M, 72]: one line naming the file, in bounded time", async () => {
    const hostile = await variant("stride0", (f) => {
      rmSync(join(f, "smpl_parms.npz"))
      writeFileSync(join(f, "smpl_parms.pth"), torchView(72, [20_000_000, 72], [0, 1]))
    })
    failsWithOneLine(await gavatar("train", "--data", hostile, "--out", join(dir, "run-stride0"), "--preset", tiny), /stride0\/smpl_parms\.pth: tensor of shape \[20000000, 72\] has 1440000000 elements, more than the 72000 expected here$/)
  })

  it("a frame whose header declares more than the dataset's first frame is refused before decoding", async () => {
    const hostile = await variant("bigframe", (f) => writeFileSync(join(f, "images", readdirSync(join(f, "images"))[1] as string), hugePng(4096, 4096, 64)))
    const dataset = await Effect.runPromise(readGaussianAvatar(hostile))
    const second = await Effect.runPromise(Effect.either(dataset.sample(1)))
    assert.ok(second._tag === "Left")
    assert.match(second.left.message, /images\/00001\.png: image is 4096x4096, larger than 48x48 \(the dataset's first frame, .*images\/00000\.png\): refused before decoding$/)
  })
})

describe("the finished run", () => {
  it("keeps its checkpoints unchanged through every failure above", () => {
    assert.ok(Object.keys(finished).length >= 1)
    assert.deepEqual(checkpointDigests(), finished)
  })
})

describe("output folders on read-only and full disks", { skip: tmpfsUnavailable }, () => {
  let disk: Tmpfs
  before(() => {
    disk = mountTmpfs(2048)
  })
  after(() => disk.release())

  it("a read-only mount: one line saying so (not ENOENT)", async () => {
    disk.remount("ro")
    try {
      const out = join(disk.dir, "run")
      const pattern = new RegExp(`${out}: output folder cannot be written: read-only file system ${disk.dir} \\(tmpfs\\)$`)
      failsWithOneLine(await gavatar("train", "--data", data, "--out", out, "--preset", tiny), pattern)
      failsWithOneLine(await gavatar("render", "--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", out), pattern)
    } finally {
      disk.remount("rw")
    }
  })

  it("a full disk at the start: one line, and no empty run.json left", async () => {
    const filler = fillDisk(disk.dir)
    try {
      const out = join(disk.dir, "run")
      failsWithOneLine(await gavatar("train", "--data", data, "--out", out, "--preset", tiny), new RegExp(`${out}: output folder cannot be written: no space left on ${disk.dir} \\(tmpfs\\)$`))
      assert.ok(!existsSync(join(out, "run.json")))
    } finally {
      rmSync(filler, { force: true })
    }
  })

  it("a disk that fills during training (the issue: exit 0 and a cut checkpoint): one line, exit 1, the last checkpoint kept whole", async () => {
    const out = join(disk.dir, "run")
    // Room for run.json and the first checkpoint, not for the second write beside it.
    const checkpointBytes = statSync(join(run, "stage1", "checkpoint.gvck")).size
    const room = join(disk.dir, "room")
    writeFileSync(room, new Uint8Array(Math.round(1.5 * checkpointBytes) + 4 * statSync(disk.dir).blksize))
    const filler = fillDisk(disk.dir)
    rmSync(room)
    try {
      const result = await gavatar("train", "--data", data, "--out", out, "--preset", tiny, "--stage", "1")
      const file = join(out, "stage1", "checkpoint.gvck")
      // Training began, so its progress lines precede the one error line.
      assert.equal(result.code, 1, result.err.join("\n"))
      assert.deepEqual(result.err.filter((line) => line.startsWith("gavatar ")), [`gavatar train: no space left on ${disk.dir} (tmpfs) writing ${file}; the checkpoint of step 2 is kept`])
      assert.match(result.err.at(-1) ?? "", /^gavatar train: no space left/)
      const kept = await Effect.runPromise(readCheckpoint(file))
      assert.ok(Option.isSome(kept) && kept.value.header.step === 2, "the checkpoint of step 2 reads back whole")
      assert.deepEqual(readdirSync(join(out, "stage1")), ["checkpoint.gvck"], "no temporary file left")
    } finally {
      rmSync(filler, { force: true })
      rmSync(out, { recursive: true, force: true })
    }
  })

  after(() => assert.deepEqual(checkpointDigests(), finished, "the finished run's checkpoints are unchanged"))

  it("a disk that fills during eval or render: one line, every PNG left whole", async () => {
    for (const command of ["eval", "render"] as const) {
      const out = join(disk.dir, command)
      // Room for the probe and about one image, then full.
      const filler = fillDisk(disk.dir)
      const room = join(disk.dir, "room")
      rmSync(filler)
      writeFileSync(room, new Uint8Array(statSync(disk.dir).blksize * 2))
      fillDisk(disk.dir)
      rmSync(room)
      const args = command === "eval" ? ["--run", run, "--split", join(data, "test"), "--out", out] : ["--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", out, "--size", "96x96"]
      const result = await gavatar(command, ...args)
      // The start check passed: the disk filled while the outputs were being written (eval's PNGs
      // may all fit in the room left; then its metrics.json is the file that fills the disk).
      const files = command === "eval" ? "(\\w+/\\d+\\.png|metrics\\.json)" : "\\w+/\\d+\\.png"
      failsWithOneLine(result, new RegExp(`^gavatar ${command}: ${out}/${files}: no space left on ${disk.dir} \\(tmpfs\\)$`))
      const pngs = readdirSync(out, { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith(".png"))
      for (const png of pngs) await Effect.runPromise(decodePng(readFileSync(join(out, png)), png))
      assert.ok(readdirSync(out, { recursive: true, encoding: "utf8" }).every((p) => !p.includes(".tmp-")), "no temporary file left")
      rmSync(join(disk.dir, "filler"), { force: true })
      rmSync(out, { recursive: true, force: true })
    }
  })
})
