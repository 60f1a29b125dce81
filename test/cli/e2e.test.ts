/**
 * gavatar train, eval and render end to end on a tiny synthetic dataset (2 frames of 48x48, a tiny
 * preset from a JSON file): train writes run.json and both stages' checkpoints and resumes without
 * new steps; eval writes renders, side-by-side images and metrics; render writes PNG frames, calls
 * ffmpeg (a fake one named by GAVATAR_FFMPEG records its arguments), encodes a real MP4 with the
 * bundled ffmpeg, and without any ffmpeg keeps the PNGs;
 * Ctrl-C (SIGINT to bin/gavatar.js) stops training with a checkpoint.
 */
import { Effect } from "effect"
import assert from "node:assert/strict"
import { spawn, spawnSync } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { writeNpz } from "../../src/io/npz.ts"
import { DEFAULT_OPTIONS, synthesize } from "../../src/synth/generate.ts"
import { writeSynthetic } from "../../src/synth/write.ts"
import { readCheckpoint } from "../../src/runtime/checkpointFiles.ts"
import { repoRoot } from "../io/paths.ts"
import { tempDir } from "../runtime/helpers.ts"
import { findFfmpeg } from "../../src/video/ffmpeg.ts"
import { gavatar } from "./capture.ts"

const dir = tempDir("cli")
const data = join(dir, "data")
const run = join(dir, "run")
const preset = join(dir, "tiny.json")

const checkpointStep = async (stage: number) => {
  const found = await Effect.runPromise(readCheckpoint(join(run, `stage${stage}`, "checkpoint.gvck")))
  assert.equal(found._tag, "Some")
  return found._tag === "Some" ? found.value.header.step : -1
}

/** An `ffmpeg` script that answers -version, records its arguments and writes its output file. */
const fakeFfmpeg = (): { readonly path: string; readonly log: string } => {
  const bin = join(dir, "fake-bin")
  const log = join(dir, "ffmpeg-args.txt")
  mkdirSync(bin, { recursive: true })
  writeFileSync(join(bin, "ffmpeg"), `#!/bin/sh\nif [ "$1" = -version ]; then echo fake; exit 0; fi\nprintf '%s\\n' "$@" > "${log}"\nfor last; do :; done\necho fake-mp4 > "$last"\n`)
  chmodSync(join(bin, "ffmpeg"), 0o755)
  return { path: join(bin, "ffmpeg"), log }
}

/** Runs `body` with GAVATAR_FFMPEG set to `path` (gavatar runs in this process). */
const withFfmpeg = async <A>(path: string, body: () => Promise<A>): Promise<A> => {
  const saved = process.env["GAVATAR_FFMPEG"]
  process.env["GAVATAR_FFMPEG"] = path
  try {
    return await body()
  } finally {
    if (saved === undefined) delete process.env["GAVATAR_FFMPEG"]
    else process.env["GAVATAR_FFMPEG"] = saved
  }
}

const realFfmpeg = findFfmpeg()

describe("gavatar train, eval, render", () => {
  before(async () => {
    await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 2, size: 48, testFrames: 1, novelPoseFrames: 2, textureSize: 128 })))
    writeFileSync(preset, JSON.stringify({ name: "tiny", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 2, stage2: 1 }, poseFrom: 0 }))
  })
  after(() => spawnSync("rm", ["-rf", dir]))

  it("trains both stages into the run folder, then resumes without new steps", async () => {
    const first = await gavatar("train", "--data", data, "--out", run, "--preset", preset)
    assert.equal(first.code, 0, first.err.join("\n"))
    assert.match(first.out[0] ?? "", /GaussianAvatar dataset .*train: 2 frames of 48x48; preset tiny/)
    assert.equal(first.out.filter((l) => l.startsWith("LPIPS")).join(), "LPIPS off: no weights given (--lpips FILE)")
    const info = JSON.parse(readFileSync(join(run, "run.json"), "utf8"))
    assert.equal(info.preset.name, "tiny")
    assert.equal(info.subject.betas.length, 10)
    assert.deepEqual([await checkpointStep(1), await checkpointStep(2)], [4, 2])
    const again = await gavatar("train", "--data", data, "--out", run)
    assert.equal(again.code, 0, again.err.join("\n"))
    assert.deepEqual([await checkpointStep(1), await checkpointStep(2)], [4, 2])
    const other = await gavatar("train", "--data", data, "--out", run, "--preset", "paper")
    assert.equal(other.code, 1)
    assert.match(other.err[0] ?? "", /run.json: this run was started with preset "tiny", not "paper"/)
    const elsewhere = await gavatar("train", "--data", join(data, "test"), "--out", run)
    assert.equal(elsewhere.code, 1)
    assert.match(elsewhere.err[0] ?? "", /run.json: this run trains on .*train, not .*test: use another --out/)
  })

  it("refuses, before the first step, a preset whose estimated memory exceeds the WebAssembly heap", async () => {
    const hugePreset = join(dir, "huge.json")
    writeFileSync(hugePreset, JSON.stringify({ name: "huge", sizes: { querySize: 1024, featureSize: 256, channels: 64, hidden: 256 } }))
    const refused = await gavatar("train", "--data", data, "--out", join(dir, "run-huge"), "--preset", hugePreset)
    assert.equal(refused.code, 1)
    assert.deepEqual(refused.err.length, 1, refused.err.join("\n"))
    assert.match(refused.err[0] ?? "", /^gavatar train: query 1024 \([\d,]+ Gaussians\), feature tensor 256 x 64, decoder 256, batch 1, 48x48 frames needs about [\d.]+ GiB, more than the WebAssembly heap's 4 GiB/)
    assert.ok(!existsSync(join(dir, "run-huge", "run.json")))
  })

  it("evaluates a split: renders, ground truth | render | error images, metrics", async () => {
    const out = join(dir, "eval")
    const result = await gavatar("eval", "--run", run, "--split", join(data, "test"), "--out", out)
    assert.equal(result.code, 0, result.err.join("\n"))
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"))
    assert.equal(metrics.frames.length, 1)
    assert.ok(metrics.mean.psnr > 5 && metrics.mean.psnr < 60, `psnr ${metrics.mean.psnr}`)
    assert.ok(metrics.mean.maskedPsnr > 0 && metrics.mean.maskedPsnr < metrics.mean.psnr, `masked PSNR ${metrics.mean.maskedPsnr} (full frame ${metrics.mean.psnr})`)
    assert.deepEqual(readdirSync(join(out, "renders")), ["00000.png"])
    assert.deepEqual(readdirSync(join(out, "frames")), ["00000.png"])
  })

  it("renders a pose sequence with a fake ffmpeg named by GAVATAR_FFMPEG: PNG frames, then ffmpeg's MP4", async () => {
    const out = join(dir, "anim")
    const fake = fakeFfmpeg()
    const result = await withFfmpeg(fake.path, () => gavatar("render", "--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", out, "--camera", "turntable", "--size", "40x40", "--fps", "12"))
    assert.equal(result.code, 0, result.err.join("\n"))
    assert.deepEqual(readdirSync(join(out, "frames")), ["00000.png", "00001.png"])
    const args = readFileSync(fake.log, "utf8").trim().split("\n")
    assert.deepEqual(args.slice(-8), ["-i", join(out, "frames", "%05d.png"), "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white", "-c:v", "libx264", "-pix_fmt", "yuv420p", join(out, "animation.mp4")].slice(-8))
    assert.ok(args.includes("-framerate") && args[args.indexOf("-framerate") + 1] === "12")
    assert.equal(readFileSync(join(out, "animation.mp4"), "utf8").trim(), "fake-mp4")
    assert.ok(result.out.some((l) => l === `video: ${join(out, "animation.mp4")}`))
  })

  it("without a working ffmpeg keeps the PNG frames and says so once", async () => {
    const out = join(dir, "anim-plain")
    const result = await withFfmpeg(join(dir, "no-such-ffmpeg"), () => gavatar("render", "--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", out, "--camera", "orbit:90"))
    assert.equal(result.code, 0, result.err.join("\n"))
    assert.equal(readdirSync(join(out, "frames")).length, 2)
    assert.ok(!existsSync(join(out, "animation.mp4")))
    assert.deepEqual(result.out.filter((l) => l.includes("ffmpeg")), [`no MP4: GAVATAR_FFMPEG=${join(dir, "no-such-ffmpeg")} does not run; the PNG frames are kept`])
  })

  it("a pose file without the needed keys: one line naming the file, exit 1", async () => {
    const file = join(dir, "bad-poses.npz")
    await Effect.runPromise(writeNpz(file, { poses: ndarray([2, 72], new Float32Array(144)) }))
    const result = await gavatar("render", "--run", run, "--poses", file, "--out", join(dir, "x"))
    assert.equal(result.code, 1)
    assert.equal(result.err.length, 1)
    assert.match(result.err[0] ?? "", new RegExp(`^gavatar render: ${file}: no transl; a pose file needs .*\\(it has: poses\\)$`))
  })

  it("Ctrl-C stops training with exit 130 and a checkpoint at the step reached", async () => {
    const longRun = join(dir, "run-interrupted")
    const long = join(dir, "long.json")
    writeFileSync(long, JSON.stringify({ name: "long", sizes: { querySize: 32, featureSize: 32, channels: 8, hidden: 16 }, epochs: { stage1: 500, stage2: 1 }, checkpointEpochs: 1000 }))
    const child = spawn(process.execPath, [join(repoRoot, "bin", "gavatar.js"), "train", "--data", data, "--out", longRun, "--preset", long, "--stage", "1"], { stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    let sent = false
    // Once: a second Ctrl-C kills at once, as usual.
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
      if (!sent && /step 10\/1000/.test(stderr)) sent = child.kill("SIGINT")
    })
    const code = await new Promise<number | null>((done) => child.on("exit", done))
    assert.equal(code, 130, stderr)
    assert.match(stderr, /gavatar train: interrupted \(a training run keeps its last checkpoint\)/)
    const found = await Effect.runPromise(readCheckpoint(join(longRun, "stage1", "checkpoint.gvck")))
    assert.ok(found._tag === "Some", "a checkpoint was saved on interruption")
    assert.ok(found.value.header.step >= 10 && found.value.header.step < 1000, `step ${found.value.header.step}`)
    // stage 2 alone starts from that unfinished stage 1, and says so.
    const second = await gavatar("train", "--data", data, "--out", longRun, "--stage", "2")
    assert.equal(second.code, 0, second.err.join("\n"))
    assert.ok(
      second.out.some((line) => line.startsWith(`warning: stage 1 in ${join(longRun, "stage1")} stopped at step ${found.value.header.step} of 1000;`)),
      second.out.join("\n")
    )
  })

  it("with the real ffmpeg (bundled by @ffmpeg-installer/ffmpeg), an MP4", { skip: realFfmpeg ? false : "no ffmpeg bundled for this platform and none on the PATH: the fake-ffmpeg test covers the call" }, async () => {
    const out = join(dir, "anim-real")
    const result = await gavatar("render", "--run", run, "--poses", join(data, "novel_pose", "smpl_parms.npz"), "--out", out)
    assert.equal(result.code, 0, result.err.join("\n"))
    const bytes = readFileSync(join(out, "animation.mp4"))
    assert.equal(bytes.toString("latin1", 4, 8), "ftyp")
    assert.ok(result.out.includes(`video: ${join(out, "animation.mp4")}`), result.out.join("\n"))
  })
})
