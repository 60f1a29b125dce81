/**
 * npm run bench -- view [--json] [--run RUN] [--seconds S]
 * The web viewer's speed in headless chromium at 1280x720: frames per second and milliseconds per
 * frame while it plays a motion, in skinned mode (24 joint transforms per frame, Spark skins the
 * Gaussians) and in exact mode (each frame's Gaussians from an anim file, re-encoded and uploaded),
 * and the bytes the page fetched (script, avatar, motions, the anim file). The avatar: RUN, else a
 * demo-sized one made once under out/bench/view/ (the quick preset's sizes: query map 128, 10,834
 * Gaussians; 1 + 1 epochs on 4 synthetic frames: the figures depend on the Gaussian count, not on
 * training). Software WebGL (SwiftShader on the CPU) is slow: the issue's target (>= 60 FPS at
 * 100k Gaussians) is for a machine with a GPU, and is printed beside the figures for that reason.
 */
import { Effect, Fiber, Layer } from "effect"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { openBody } from "../src/body/openBody.ts"
import { main } from "../src/cli/commands.ts"
import { viewerData } from "../src/cli/view.ts"
import { BuiltinOps } from "../src/ops/registry.ts"
import { BackendLive } from "../src/runtime/backend.ts"
import { ProgressSilent } from "../src/runtime/progress.ts"
import { DEFAULT_OPTIONS } from "../src/synth/generate.ts"
import { launchBrowser } from "../src/testing/browser.ts"
import { makeSite, serveSite } from "../src/viewer/site.ts"
import type { BenchArgs } from "./main.ts"
import { ensureSynthetic } from "./synthData.ts"

const WIDTH = 1280
const HEIGHT = 720

const demoRun = async (dir: string): Promise<string> => {
  const data = join(dir, "data")
  const run = join(dir, "run")
  await ensureSynthetic(data, openBody(), { ...DEFAULT_OPTIONS, frames: 4, size: 256, testFrames: 1, novelPoseFrames: 20 })
  if (!existsSync(join(run, "stage2", "checkpoint.gvck"))) {
    const preset = join(dir, "preset.json")
    writeFileSync(preset, JSON.stringify({ name: "bench-view", epochs: { stage1: 1, stage2: 1 } }))
    const code = await main(["train", "--data", data, "--out", run, "--preset", preset])
    if (code !== 0) throw new Error(`training the bench avatar failed (exit ${code})`)
  }
  return run
}

interface State {
  readonly renders: number
  readonly frame: number
  readonly count: number
}

export const run = async (args: BenchArgs): Promise<void> => {
  const { values } = parseArgs({ args: [...args.rest], options: { run: { type: "string" }, seconds: { type: "string" } } })
  const seconds = Number(values.seconds ?? 10)
  const dir = join("out", "bench", "view")
  mkdirSync(dir, { recursive: true })
  const runFolder = values.run ?? (await demoRun(dir))
  const motion = join(dir, "data", "novel_pose", "smpl_parms.npz")
  const poses = existsSync(motion) ? [motion] : []
  const anim = join(dir, "bench.anim")
  if (await main(["export", "--run", runFolder, ...(poses.length > 0 ? ["--poses", motion] : []), "--out", anim]) !== 0) throw new Error("anim export failed")
  const layers = Layer.mergeAll(BackendLive("wasm"), BuiltinOps, ProgressSilent)
  const { data } = await Effect.runPromise(viewerData({ run: runFolder, poses, anims: [anim], fps: 30 }).pipe(Effect.provide(layers)))
  const site = await Effect.runPromise(makeSite(data))
  let server: Fiber.RuntimeFiber<never, unknown> | undefined
  const url = await new Promise<string>((ready) => (server = Effect.runFork(serveSite(site, "127.0.0.1", 0, ready))))
  const browser = await launchBrowser()
  try {
    const measure = async (choice: string) => {
      const page = await browser.newPage()
      let bytes = 0
      page.on("response", (r) => void (bytes += Number(r.headers()["content-length"] ?? 0)))
      await page.setViewport({ width: WIDTH, height: HEIGHT })
      await page.goto(`${url}?bare=1&play=0`)
      await page.waitForSelector("body[data-ready='1']", { timeout: 300_000 })
      const viewer = (s: string) => `window.gavatarViewer.${s}`
      await page.evaluate(`(async () => { ${viewer(`choose("${choice}")`)}; await ${viewer("animLoaded()")}; ${viewer("play(true)")}; await ${viewer("nextRenders(3)")} })()`)
      const before = (await page.evaluate(viewer("state()"))) as State
      const t0 = performance.now()
      await new Promise((done) => setTimeout(done, seconds * 1000))
      const after = (await page.evaluate(viewer("state()"))) as State
      const elapsed = (performance.now() - t0) / 1000
      await page.close()
      const fps = (after.renders - before.renders) / elapsed
      return { fps, ms: 1000 / fps, bytes, count: after.count }
    }
    const skinned = await measure("motion:0")
    const exact = await measure("anim:0")
    const result = { fpsSkinned: skinned.fps, fpsExact: exact.fps, msPerFrameSkinned: skinned.ms, msPerFrameExact: exact.ms, bytes: exact.bytes, gaussians: skinned.count, width: WIDTH, height: HEIGHT }
    console.log(`viewer at ${WIDTH}x${HEIGHT}, ${skinned.count} Gaussians, headless chromium with software WebGL (SwiftShader):`)
    console.log(`  skinned: ${skinned.fps.toFixed(2)} FPS (${skinned.ms.toFixed(0)} ms per frame)`)
    console.log(`  exact:   ${exact.fps.toFixed(2)} FPS (${exact.ms.toFixed(0)} ms per frame)`)
    console.log(`  bytes fetched by the page (script, avatar, motions, anim): ${exact.bytes}`)
    console.log("  target: >= 60 FPS at 100k Gaussians on a machine with a GPU (not measurable here: no GPU)")
    if (args.json) console.log(JSON.stringify(result))
  } finally {
    await browser.close()
    if (server) await Effect.runPromise(Fiber.interrupt(server))
  }
}
