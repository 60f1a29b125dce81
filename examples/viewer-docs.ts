/**
 * npm run example:viewer-docs: the pictures of the README's viewer and motion sections, written to
 * docs/: the viewer page (skinned and exact modes) in headless chromium, and a strip of frames of
 * the CMU capture 01_01 (../shared/data/cmu-mocap, when present) retargeted onto the avatar and
 * rendered by gavatar render with --camera follow. The avatar: a small one trained once under
 * out/docs-avatar/ (16 synthetic frames at 256x256, the quick sizes, 15 + 4 epochs; about 10 minutes).
 */
import { Effect, Fiber, Layer } from "effect"
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { openBody } from "../src/body/openBody.ts"
import { main } from "../src/cli/commands.ts"
import { viewerData } from "../src/cli/view.ts"
import { readPng, writePng } from "../src/io/png.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import { BackendLive } from "../src/runtime/backend.ts"
import { ProgressSilent } from "../src/runtime/progress.ts"
import { DEFAULT_OPTIONS, synthesize } from "../src/synth/generate.ts"
import { writeSynthetic } from "../src/synth/write.ts"
import { launchBrowser } from "../src/testing/browser.ts"
import { makeSite, serveSite } from "../src/viewer/site.ts"

const out = "docs"
const dir = join("out", "docs-avatar")
const data = join(dir, "data")
const run = join(dir, "run")
const capture = join("..", "shared", "data", "cmu-mocap", "01_01.bvh")
mkdirSync(out, { recursive: true })

const gavatar = async (...argv: string[]) => {
  const code = await main(argv)
  if (code !== 0) throw new Error(`gavatar ${argv[0]} failed (exit ${code})`)
}

if (!existsSync(join(run, "stage2", "checkpoint.gvck"))) {
  await Effect.runPromise(writeSynthetic(data, synthesize(openBody(), { ...DEFAULT_OPTIONS, frames: 16, size: 256, testFrames: 1, novelPoseFrames: 20 })))
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "preset.json"), JSON.stringify({ name: "docs", epochs: { stage1: 15, stage2: 4 } }))
  await gavatar("train", "--data", data, "--out", run, "--preset", join(dir, "preset.json"))
}
const novel = join(data, "novel_pose", "smpl_parms.npz")
const anim = join(dir, "novel.anim")
if (!existsSync(anim)) await gavatar("export", "--run", run, "--poses", novel, "--out", anim)

// The page, in both modes.
const layers = Layer.mergeAll(BackendLive("wasm"), BuiltinOps, ProgressSilent)
const { data: site } = await Effect.runPromise(viewerData({ run, poses: [novel], anims: [anim], fps: 30 }).pipe(Effect.provide(layers)))
let server: Fiber.RuntimeFiber<never, unknown> | undefined
const url = await new Promise<string>((ready) => void Effect.runPromise(makeSite(site)).then((s) => (server = Effect.runFork(serveSite(s, "127.0.0.1", 0, ready)))))
const browser = await launchBrowser()
for (const [choice, file] of [["motion:1", "viewer-skinned.png"], ["anim:0", "viewer-exact.png"]] as const) {
  const page = await browser.newPage()
  await page.setViewport({ width: 720, height: 560 })
  await page.goto(`${url}?play=0`)
  await page.waitForSelector("body[data-ready='1']", { timeout: 300_000 })
  await page.evaluate(`(async () => { const v = window.gavatarViewer; v.choose("${choice}"); await v.animLoaded(); v.setFrame(12); await v.nextRenders(3) })()`)
  await page.screenshot({ path: join(out, file) })
  await page.close()
  console.log(`wrote ${join(out, file)}`)
}
await browser.close()
if (server) await Effect.runPromise(Fiber.interrupt(server))

// The capture, retargeted and followed by the camera: 8 frames side by side.
if (existsSync(capture)) {
  const clip = join(dir, "bvh")
  await gavatar("render", "--run", run, "--poses", capture, "--out", clip, "--camera", "follow", "--fps", "2", "--size", "160x160")
  const names = readdirSync(join(clip, "frames")).sort()
  const picked = Array.from({ length: 8 }, (_, k) => names[Math.floor((k * (names.length - 1)) / 7)] as string)
  const images = await Promise.all(picked.map((n) => Effect.runPromise(readPng(join(clip, "frames", n)))))
  const [w, h] = [images[0]?.width ?? 160, images[0]?.height ?? 160]
  const strip = new Uint8Array(8 * w * h * 3)
  images.forEach((img, k) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) strip[(y * 8 * w + k * w + x) * 3 + c] = img.data[(y * w + x) * img.channels + c] as number
  })
  await Effect.runPromise(writePng(join(out, "bvh-01_01.png"), { width: 8 * w, height: h, channels: 3, data: strip }))
  console.log(`wrote ${join(out, "bvh-01_01.png")} (and ${join(clip, "animation.mp4")})`)
} else console.log(`${capture} is absent: no BVH strip`)
