/**
 * gavatar export on a tiny trained run: the .ply, read back by a reader written here (independently of
 * src/io/splat/ply.ts) and rasterised with the run's training camera, equals gavatar render of the
 * same pose and camera within float32 rounding; .splat has 32 bytes per Gaussian with the same
 * positions; .spz is Spark's gzip with the SPZ header; the canonical export and bad arguments.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import assert from "node:assert/strict"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { gunzipSync } from "node:zlib"
import { SMPL_PARENTS } from "../../src/body/model.ts"
import { readMotion } from "../../src/motion/read.ts"
import { requireRunInfo } from "../../src/avatar/runFolder.ts"
import { renderCamera } from "../../src/graphs/avatar/config.ts"
import { readPng } from "../../src/io/png.ts"
import { hostTensor } from "../../src/data/dataset.ts"
import { predict } from "../../src/runtime/predict.ts"
import { loadTrainedAvatar, openTrainedRun } from "../../src/avatar/trainedRun.ts"
import { applyOp, prepareOp } from "../../src/ops/apply.ts"
import { evalContext } from "../../src/ops/contract.ts"
import { rasterize } from "../../src/ops/rasterize/rasterize.ts"
import { anisotropic, learnedOpacity } from "../../src/ops/rasterize/spec.ts"
import { useBackend } from "../../src/testing/backends.ts"
import { imageTolerances } from "../../src/testing/tolerances.ts"
import { tempDir, testLayers } from "../runtime/helpers.ts"
import { repoRoot } from "../io/paths.ts"
import { gavatar } from "./capture.ts"
import type { TinyRun } from "./tinyRun.ts"
import { makeTinyRun } from "./tinyRun.ts"

/** A binary little-endian .ply with float properties: every property as a column by name. */
const readPly = (bytes: Uint8Array): { readonly count: number; readonly columns: ReadonlyMap<string, Float32Array> } => {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 8192)))
  const end = text.indexOf("end_header\n") + "end_header\n".length
  const lines = text.slice(0, end).split("\n")
  assert.equal(lines[0], "ply")
  assert.ok(lines.includes("format binary_little_endian 1.0"))
  const count = Number(lines.find((l) => l.startsWith("element vertex "))?.split(" ")[2])
  const names = lines.filter((l) => l.startsWith("property ")).map((l) => {
    const [, type, name] = l.split(" ")
    assert.equal(type, "float")
    return name as string
  })
  assert.equal(bytes.length, end + 4 * names.length * count)
  const view = new DataView(bytes.buffer, bytes.byteOffset + end)
  const columns = new Map(names.map((n, k) => [n, Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * (i * names.length + k), true))]))
  return { count, columns }
}

const column = (ply: ReturnType<typeof readPly>, name: string): Float32Array => ply.columns.get(name) ?? assert.fail(`no property ${name}`)

/** The .ply's Gaussians as the rasteriser's inputs, decoded the standard way (exp, sigmoid, 0.5 + C0 f_dc, normalised quaternion). */
const plyGaussians = (ply: ReturnType<typeof readPly>) => {
  const n = ply.count
  const interleave = (names: ReadonlyArray<string>, f: (v: number) => number = (v) => v) => {
    const cols = names.map((name) => column(ply, name))
    return Float32Array.from({ length: n * names.length }, (_, k) => f((cols[k % names.length] as Float32Array)[Math.floor(k / names.length)] as number))
  }
  return {
    means: tf.tensor2d(interleave(["x", "y", "z"]), [n, 3]),
    scales: tf.tensor2d(interleave(["scale_0", "scale_1", "scale_2"], Math.exp), [n, 3]),
    rotations: tf.tensor2d(interleave(["rot_0", "rot_1", "rot_2", "rot_3"]), [n, 4]),
    opacities: tf.tensor1d(interleave(["opacity"], (v) => 1 / (1 + Math.exp(-v)))),
    colours: tf.tensor2d(interleave(["f_dc_0", "f_dc_1", "f_dc_2"], (v) => 0.5 + 0.28209479177387814 * v), [n, 3])
  }
}

/** Pixels (values in 0..1) farther apart than `abs`; the largest difference. */
const compare = (a: ArrayLike<number>, b: ArrayLike<number>, abs: number) => {
  let over = 0
  let largest = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number))
    largest = Math.max(largest, d)
    if (d > abs) over++
  }
  return { over, largest }
}

const capture = join(repoRoot, "../shared/data/cmu-mocap/01_01.bvh")

describe("gavatar export, and render with any motion", () => {
  const dir = tempDir("export")
  let tiny: TinyRun
  let poses: string
  before(async () => {
    tiny = await makeTinyRun(dir)
    poses = join(tiny.data, "novel_pose", "smpl_parms.npz")
  })
  after(() => spawnSync("rm", ["-rf", dir]))

  it("a .ply read back and rasterised equals gavatar render of the same pose and camera", async () => {
    const file = join(dir, "frame1.ply")
    const exported = await gavatar("export", "--run", tiny.run, "--poses", poses, "--frame", "1", "--out", file)
    assert.equal(exported.code, 0, exported.err.join("\n"))
    const rendered = await gavatar("render", "--run", tiny.run, "--poses", poses, "--out", join(dir, "render"))
    assert.equal(rendered.code, 0, rendered.err.join("\n"))
    const ply = readPly(readFileSync(file))
    assert.deepEqual([...ply.columns.keys()].slice(0, 9), ["x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"])
    assert.ok(!ply.columns.has("f_rest_0"))
    const info = await Effect.runPromise(requireRunInfo(tiny.run))
    // The rasteriser puts pixel centres at +0.5; OpenCV intrinsics at integers (renderCamera shifts them).
    const camera = renderCamera(info.subject.intrinsic, info.subject.width, info.subject.height)
    const ready = await useBackend("wasm")
    if (!ready.ok) return assert.fail(ready.reason)
    const op = prepareOp(rasterize, ready.target)
    const image = tf.tidy(() => {
      const attrs = { gaussians: anisotropic, opacity: learnedOpacity, ...camera, worldToCamera: [...info.extrinsic], near: 0.01, far: 100, background: [1, 1, 1] as const, withDepth: false, smooth: false }
      return applyOp(op, plyGaussians(ply), attrs, evalContext).image
    })
    const floats = await image.data()
    image.dispose()
    // Float32: the render graph's own image of that pose and camera (what gavatar render quantises).
    const sequence = await Effect.runPromise(readMotion(poses, { fps: 30, skeleton: { parents: SMPL_PARENTS, restJoints: new Float64Array(72) } }))
    const graphImage = await Effect.runPromise(
      Effect.gen(function* () {
        const trained = yield* openTrainedRun(tiny.run)
        const { render, state } = yield* loadTrainedAvatar(tiny.run, trained, info.subject)
        const tensors = { betas: hostTensor([10], Float32Array.from(info.subject.betas)), pose: hostTensor([72], Float32Array.from(sequence.poses.subarray(72, 144))), transl: hostTensor([3], Float32Array.from(sequence.transl.subarray(3, 6))), extrinsic: hostTensor([4, 4], Float32Array.from(info.extrinsic)) }
        return (yield* predict(render, state, { index: 1, tensors }, ["image"]))["image"]?.data ?? assert.fail("no image")
      }).pipe(Effect.provide(testLayers("wasm")))
    )
    const exact = compare(floats, graphImage, imageTolerances.exportedPly.abs)
    assert.ok(exact.over <= imageTolerances.exportedPly.outliers && exact.largest <= imageTolerances.exportedPly.outlierAbs, `${exact.over} values differ by more than ${imageTolerances.exportedPly.abs}, largest ${exact.largest}`)
    const ours = Array.from(floats, (v) => Math.round(255 * Math.min(1, Math.max(0, v))) / 255)
    const png = await Effect.runPromise(readPng(join(dir, "render", "frames", "00001.png")))
    const theirs = Array.from({ length: png.width * png.height * 3 }, (_, k) => (png.data[png.channels * Math.floor(k / 3) + (k % 3)] as number) / 255)
    const { over, largest } = compare(ours, theirs, imageTolerances.exportedPng.abs + 1e-9)
    assert.ok(over <= imageTolerances.exportedPng.outliers && largest <= imageTolerances.exportedPng.outlierAbs, `${over} values differ by more than one level, largest ${largest}`)
  })

  it("--sh-rest writes the 45 f_rest zeros; .splat has 32 bytes per Gaussian in the .ply's positions; .spz is SPZ", async () => {
    const ply = join(dir, "rest.ply")
    assert.equal((await gavatar("export", "--run", tiny.run, "--out", ply, "--sh-rest")).code, 0)
    const read = readPly(readFileSync(ply))
    assert.ok(Array.from({ length: 45 }, (_, k) => column(read, `f_rest_${k}`)).every((c) => c.every((v) => v === 0)))
    const splat = join(dir, "avatar.splat")
    assert.equal((await gavatar("export", "--run", tiny.run, "--out", splat)).code, 0)
    const bytes = readFileSync(splat)
    assert.equal(bytes.length, 32 * read.count)
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    const key = (x: number, y: number, z: number) => `${x},${y},${z}`
    const plyPoints = new Set(Array.from({ length: read.count }, (_, i) => key(column(read, "x")[i] as number, column(read, "y")[i] as number, column(read, "z")[i] as number)))
    for (let i = 0; i < read.count; i++) assert.ok(plyPoints.has(key(view.getFloat32(32 * i, true), view.getFloat32(32 * i + 4, true), view.getFloat32(32 * i + 8, true))))
    const spz = join(dir, "avatar.spz")
    const done = await gavatar("export", "--run", tiny.run, "--out", spz)
    assert.equal(done.code, 0, done.err.join("\n"))
    const raw = gunzipSync(readFileSync(spz))
    assert.equal(raw.readUInt32LE(0), 0x5053474e)
    assert.equal(raw.readUInt32LE(8), read.count)
  })

  it("--canonical: the Gaussians before skinning, standing in the canonical pose whatever the frame", async () => {
    const a = join(dir, "canonical0.ply")
    const b = join(dir, "canonical1.ply")
    assert.equal((await gavatar("export", "--run", tiny.run, "--poses", poses, "--frame", "0", "--canonical", "--out", a)).code, 0)
    assert.equal((await gavatar("export", "--run", tiny.run, "--poses", poses, "--frame", "1", "--canonical", "--out", b)).code, 0)
    const [first, second] = [readPly(readFileSync(a)), readPly(readFileSync(b))]
    // Stage 2 predicts offsets from the pose: canonical points move by those offsets only (x 0.02, a few cm at most).
    const ys = column(first, "y")
    const height = Math.max(...ys) - Math.min(...ys)
    assert.ok(height > 1.4 && height < 2.2, `canonical body ${height} m tall`)
    const moved = column(first, "x").reduce((m, x, i) => Math.max(m, Math.abs(x - (column(second, "x")[i] as number))), 0)
    assert.ok(moved < 0.05, `canonical points moved ${moved} m between frames`)
    const sequence = await Effect.runPromise(readMotion(poses, { fps: 30, skeleton: { parents: SMPL_PARENTS, restJoints: new Float64Array(72) } }))
    assert.equal(sequence.frames, 2)
  })

  it("renders a BVH capture with --camera follow: the avatar in view, its centre kept in place", { skip: existsSync(capture) ? false : "../shared/data/cmu-mocap/01_01.bvh is absent here" }, async () => {
    const out = join(dir, "bvh")
    const result = await gavatar("render", "--run", tiny.run, "--poses", capture, "--out", out, "--camera", "follow", "--fps", "1")
    assert.equal(result.code, 0, result.err.join("\n"))
    const files = readdirSync(join(out, "frames"))
    assert.equal(files.length, 23) // 22.9 s at 1 frame per second
    const centres = await Promise.all(files.map(async (name) => {
      const png = await Effect.runPromise(readPng(join(out, "frames", name)))
      let [sx, sy, count] = [0, 0, 0]
      for (let y = 0; y < png.height; y++)
        for (let x = 0; x < png.width; x++)
          if ((png.data[png.channels * (y * png.width + x)] as number) < 200) [sx, sy, count] = [sx + x, sy + y, count + 1]
      return { x: sx / count, y: sy / count, count }
    }))
    assert.ok(centres.every((c) => c.count > 20), `pixels covered: ${centres.map((c) => c.count)}`)
    const spread = Math.max(...centres.map((c) => Math.hypot(c.x - (centres[0]?.x as number), c.y - (centres[0]?.y as number))))
    assert.ok(spread < 8, `the subject's centre moved ${spread.toFixed(1)} px across frames`)
  })

  it("gavatar view serves the page and its data on a free port until Ctrl-C", async () => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "gavatar.js"), "view", "--run", tiny.run, "--poses", poses, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const url = await new Promise<string>((found, failed) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)
        if (match) found(match[1] as string)
      })
      child.on("exit", (code) => failed(new Error(`gavatar view exited with ${code}: ${stdout}`)))
    })
    const site = (await (await fetch(`${url}site.json`)).json()) as { motions: Array<{ name: string }> }
    assert.deepEqual(site.motions.map((m) => m.name), ["training poses", "smpl_parms.npz"])
    assert.match(await (await fetch(url)).text(), /<script type="module" src="viewer.js"><\/script>/)
    assert.ok((await (await fetch(`${url}viewer.js`)).arrayBuffer()).byteLength > 1_000_000, "viewer.js bundles three.js and Spark")
    assert.equal((await fetch(`${url}nothing`)).status, 404)
    const exit = new Promise<number | null>((done) => child.on("exit", done))
    child.kill("SIGINT")
    assert.equal(await exit, 130)
    assert.match(stderr, /gavatar view: server stopped/)
  })

  it("bad arguments and files: one line each", async () => {
    const noFormat = await gavatar("export", "--run", tiny.run, "--out", join(dir, "x.obj"))
    assert.equal(noFormat.code, 2)
    assert.match(noFormat.err[0] ?? "", /--out must end in \.ply, \.splat, \.spz or \.anim/)
    const past = await gavatar("export", "--run", tiny.run, "--poses", poses, "--frame", "9", "--out", join(dir, "x.ply"))
    assert.equal(past.code, 1)
    assert.equal(past.err.length, 1)
    assert.match(past.err[0] ?? "", /smpl_parms\.npz: --frame 9 is past the motion's 2 frames/)
  })
})
