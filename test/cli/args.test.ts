/**
 * gavatar's arguments: each command's options parse into typed values; --help prints the usage
 * (exit 0); wrong arguments print one line naming the problem, then the usage (exit 2).
 */
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { join, resolve } from "node:path"
import { describe, it } from "node:test"
import { parseEval, parseExport, parseRender, parseTrain } from "../../src/cli/args.ts"
import { EVAL_USAGE, MAIN_USAGE, RENDER_USAGE, TRAIN_USAGE } from "../../src/cli/usage.ts"
import { repoRoot } from "../io/paths.ts"
import { gavatar } from "./capture.ts"

describe("parsing", () => {
  it("train: defaults, stages, presets", () => {
    assert.deepEqual(parseTrain(["--data", "d", "--out", "r"]), { _tag: "Ok", value: { data: "d", out: "r", preset: undefined, stages: [1, 2], body: undefined, frames: undefined, lpips: undefined, backend: "wasm" } })
    const stage2 = parseTrain(["--data", "d", "--out", "r", "--stage", "2", "--preset", "paper", "--backend", "cpu"])
    assert.deepEqual(stage2, { _tag: "Ok", value: { data: "d", out: "r", preset: "paper", stages: [2], body: undefined, frames: undefined, lpips: undefined, backend: "cpu" } })
    assert.equal(parseTrain(["--data", "d", "--out", "r", "--preset", "mine.json"])._tag, "Ok")
    const smpl = parseTrain(["--data", "d", "--out", "r", "--body", "models/SMPL_NEUTRAL.npz", "--uv", "models/smpl_uv.obj"])
    assert.deepEqual(smpl._tag === "Ok" && smpl.value.body, { _tag: "Smpl", file: resolve("models/SMPL_NEUTRAL.npz"), uv: resolve("models/smpl_uv.obj") })
    const frames = parseTrain(["--data", "d", "--out", "r", "--frames", "0:445:4"])
    assert.deepEqual(frames._tag === "Ok" && frames.value.frames, { start: 0, end: 445, step: 4 })
    const one = parseTrain(["--data", "d", "--out", "r", "--lpips", "lpips.pth"])
    assert.deepEqual(one._tag === "Ok" && one.value.lpips, { alexnet: "lpips.pth", linear: "lpips.pth" })
    const two = parseTrain(["--data", "d", "--out", "r", "--lpips", "alexnet.pth", "--lpips", "lin.pth"])
    assert.deepEqual(two._tag === "Ok" && two.value.lpips, { alexnet: "alexnet.pth", linear: "lin.pth" })
    const open = parseTrain(["--data", "d", "--out", "r", "--body", "open"])
    assert.deepEqual(open._tag === "Ok" && open.value.body, { _tag: "Open" })
  })
  it("eval and render: values and camera syntax", () => {
    assert.deepEqual(parseEval(["--run", "r", "--split", "s", "--out", "e"]), { _tag: "Ok", value: { run: "r", split: "s", out: "e", lpips: undefined, backend: "wasm" } })
    const scored = parseEval(["--run", "r", "--split", "s", "--out", "e", "--lpips", "lpips.pth"])
    assert.deepEqual(scored._tag === "Ok" && scored.value.lpips, { alexnet: "lpips.pth", linear: "lpips.pth" })
    const base = ["--run", "r", "--poses", "p.npz", "--out", "o"]
    const ok = (extra: ReadonlyArray<string>) => {
      const parsed = parseRender([...base, ...extra])
      assert.equal(parsed._tag, "Ok", JSON.stringify(parsed))
      return (parsed as Extract<typeof parsed, { _tag: "Ok" }>).value
    }
    assert.deepEqual(ok([]).camera, { _tag: "Train" })
    assert.deepEqual(ok(["--camera", "orbit:-45"]).camera, { _tag: "Orbit", degrees: -45 })
    assert.deepEqual(ok(["--camera", "turntable"]).camera, { _tag: "Turntable" })
    assert.deepEqual(ok(["--camera", "cams/cam_parms.npz"]).camera, { _tag: "File", file: "cams/cam_parms.npz" })
    assert.deepEqual(ok(["--intrinsics", "500,510,255.5,250,512,500"]).intrinsics, { fx: 500, fy: 510, cx: 255.5, cy: 250, width: 512, height: 500 })
    assert.deepEqual(ok(["--size", "320x240", "--fps", "24"]).size, { width: 320, height: 240 })
    assert.equal(ok(["--fps", "24"]).fps, 24)
  })
  it("help", () => {
    for (const parse of [parseTrain, parseEval, parseRender]) assert.deepEqual(parse(["--help"]), { _tag: "Help" })
    assert.deepEqual(parseTrain(["-h", "--bogus-but-help-first"])._tag, "Invalid")
  })
  const wrong: ReadonlyArray<readonly [string, ReturnType<typeof parseTrain | typeof parseEval | typeof parseRender | typeof parseExport>, RegExp]> = [
    ["missing option", parseTrain(["--data", "d"]), /^--out is required$/],
    ["unknown option", parseTrain(["--data", "d", "--out", "r", "--epochs", "3"]), /Unknown option '--epochs'/],
    ["stray positional", parseEval(["--run", "r", "--split", "s", "--out", "e", "extra"]), /extra/],
    ["bad preset", parseTrain(["--data", "d", "--out", "r", "--preset", "fast"]), /^--preset must be quick, paper or a FILE.json, got "fast"$/],
    ["uv without body", parseTrain(["--data", "d", "--out", "r", "--uv", "u.obj"]), /^--uv needs --body/],
    ["body without uv", parseTrain(["--data", "d", "--out", "r", "--body", "SMPL.pkl"]), /^an SMPL --body needs --uv UV.obj/],
    ["bad body", parseTrain(["--data", "d", "--out", "r", "--body", "smpl.json", "--uv", "u.obj"]), /^--body must be open or an SMPL .npz or .pkl file, got "smpl.json"$/],
    ["bad frames", parseTrain(["--data", "d", "--out", "r", "--frames", "10:2:1"]), /^--frames must be START:END:STEP with START <= END and STEP >= 1 \(e.g. 0:445:4\), got "10:2:1"$/],
    ["three lpips files", parseTrain(["--data", "d", "--out", "r", "--lpips", "a", "--lpips", "b", "--lpips", "c"]), /^--lpips takes one file \(both networks\) or two/],
    ["bad stage", parseTrain(["--data", "d", "--out", "r", "--stage", "3"]), /^--stage must be 1, 2 or both, got "3"$/],
    ["bad backend", parseEval(["--run", "r", "--split", "s", "--out", "e", "--backend", "gpu"]), /^--backend must be wasm, cpu or webgpu, got "gpu"$/],
    ["bad orbit", parseRender(["--run", "r", "--poses", "p", "--out", "o", "--camera", "orbit:left"]), /orbit:DEG needs a number of degrees/],
    ["bad camera", parseRender(["--run", "r", "--poses", "p", "--out", "o", "--camera", "front"]), /--camera must be train, orbit:DEG, turntable, follow or a FILE.npz, got "front"/],
    ["bad intrinsics", parseRender(["--run", "r", "--poses", "p", "--out", "o", "--intrinsics", "500,500,1,1,64"]), /--intrinsics must be fx,fy,cx,cy,W,H/],
    ["bad size", parseRender(["--run", "r", "--poses", "p", "--out", "o", "--size", "64"]), /--size must be WxH/],
    ["both", parseRender(["--run", "r", "--poses", "p", "--out", "o", "--size", "64x64", "--intrinsics", "1,1,1,1,2,2"]), /give --intrinsics or --size, not both/],
    ["export: unknown format", parseExport(["--run", "r", "--out", "o.obj"]), /--out must end in \.ply, \.splat, \.spz or \.anim/],
    ["export: bad frame", parseExport(["--run", "r", "--out", "o.ply", "--frame", "1.5"]), /--frame must be a whole number >= 0/],
    ["bad fps", parseRender(["--run", "r", "--poses", "p", "--out", "o", "--fps", "0"]), /--fps must be a positive number/],
    ["missing value", parseRender(["--run", "r", "--poses", "p", "--out"]), /--out/]
  ]
  for (const [what, parsed, reason] of wrong) {
    it(`refuses: ${what}`, () => {
      assert.equal(parsed._tag, "Invalid")
      const line = (parsed as { reason: string }).reason
      assert.match(line, reason)
      assert.ok(!line.includes("\n"), "one line")
    })
  }
})

describe("gavatar main", () => {
  it("prints usages with exit 0 on --help, and exit 2 without a command", async () => {
    assert.deepEqual(await gavatar("--help"), { code: 0, out: MAIN_USAGE.split("\n"), err: [] })
    for (const [command, usage] of [["train", TRAIN_USAGE], ["eval", EVAL_USAGE], ["render", RENDER_USAGE]] as const) assert.deepEqual(await gavatar(command, "--help"), { code: 0, out: usage.split("\n"), err: [] })
    assert.equal((await gavatar()).code, 2)
  })
  it("wrong arguments: one line, then the usage, exit 2", async () => {
    const bad = await gavatar("train", "--data", "d", "--out", "r", "--stage", "x")
    assert.equal(bad.code, 2)
    assert.deepEqual(bad.err, [`gavatar train: --stage must be 1, 2 or both, got "x"`, ...TRAIN_USAGE.split("\n")])
    const unknown = await gavatar("fit")
    assert.equal(unknown.code, 2)
    assert.deepEqual(unknown.err, [`gavatar: unknown command "fit"`, ...MAIN_USAGE.split("\n")])
  })
  it("a failing command prints one line naming the file, exit 1", async () => {
    const result = await gavatar("eval", "--run", "/nonexistent/run", "--split", "s", "--out", "e")
    assert.deepEqual(result, { code: 1, out: [], err: ["gavatar eval: /nonexistent/run/run.json: not found: RUN must be a folder written by `gavatar train`"] })
  })
  it("bin/gavatar.js runs the command through tsx", () => {
    const result = spawnSync(process.execPath, [join(repoRoot, "bin", "gavatar.js"), "render", "--run", "r"], { encoding: "utf8" })
    assert.equal(result.status, 2, result.stderr)
    assert.equal(result.stderr.split("\n")[0], "gavatar render: --poses is required")
  })
})
