/**
 * The web viewer in headless chromium (software WebGL) on a small trained avatar (about 2,700
 * Gaussians at 128x128): the page loads without console errors; a screenshot at a fixed frame and
 * the training camera matches gavatar render of that pose (PSNR floors in src/testing/tolerances.ts);
 * play, pause and the scrubber change the frame; a pose file dropped onto the page plays; the
 * static folder of `gavatar export --format web` works the same.
 */
import { Effect, Fiber } from "effect"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import type { Browser, Page } from "puppeteer-core"
import { viewerData } from "../../src/cli/view.ts"
import { decodePng } from "../../src/io/png.ts"
import { ndarray } from "../../src/io/ndarray.ts"
import { readNpz, writeNpz } from "../../src/io/npz.ts"
import { browserSkip, launchBrowser, openViewer } from "../../src/testing/browser.ts"
import { imageTolerances } from "../../src/testing/tolerances.ts"
import { makeSite, serveSite } from "../../src/viewer/site.ts"
import { gavatar } from "../cli/capture.ts"
import type { TinyRun } from "../cli/tinyRun.ts"
import { makeTinyRun } from "../cli/tinyRun.ts"
import { tempDir, testLayers } from "../runtime/helpers.ts"

const SIZE = 128

interface ViewerState {
  readonly mode: string
  readonly motion: number
  readonly frame: number
  readonly frames: number
  readonly playing: boolean
  readonly motions: ReadonlyArray<string>
}

const state = (page: Page): Promise<ViewerState> => page.evaluate(() => (window as unknown as { gavatarViewer: { state: () => ViewerState } }).gavatarViewer.state())

/** Shows `choice` (motion:i or anim:i) at frame k and waits 3 renders (SwiftShader is stable after 2-3). */
const showFrame = (page: Page, choice: string, k: number) =>
  page.evaluate(
    async (c, f) => {
      const v = (window as unknown as { gavatarViewer: { choose: (c: string) => void; animLoaded: () => Promise<void>; setFrame: (k: number) => void; nextRenders: (n: number) => Promise<void> } }).gavatarViewer
      v.choose(c)
      await v.animLoaded()
      v.setFrame(f)
      await v.nextRenders(3)
    },
    choice,
    k
  )

const psnr = (a: { data: Uint8Array; channels: number }, b: { data: Uint8Array; channels: number }, pixels: number): number => {
  let se = 0
  for (let p = 0; p < pixels; p++)
    for (let c = 0; c < 3; c++) se += (((a.data[p * a.channels + c] as number) - (b.data[p * b.channels + c] as number)) / 255) ** 2
  return 10 * Math.log10(1 / (se / (3 * pixels)))
}

const screenshot = async (page: Page) => Effect.runPromise(decodePng(new Uint8Array(await ((await page.$("#view")) ?? assert.fail("no canvas")).screenshot({ type: "png" })), "screenshot"))

/**
 * The canvas once it stops changing: Spark uploads a new frame's splats and sorts them in a worker over
 * the next renders, which take longer on a loaded machine, so a fixed number of renders is not enough.
 */
const settledScreenshot = async (page: Page, attempts = 40) => {
  let previous = await screenshot(page)
  for (let k = 0; k < attempts; k++) {
    await page.evaluate(() => (window as unknown as { gavatarViewer: { nextRenders: (n: number) => Promise<void> } }).gavatarViewer.nextRenders(2))
    const next = await screenshot(page)
    if (Buffer.compare(Buffer.from(next.data), Buffer.from(previous.data)) === 0) return next
    previous = next
  }
  return assert.fail(`the canvas still changed after ${attempts} screenshots`)
}

/** A static file server over a folder (what any host of `export --format web` does). */
const serveFolder = (dir: string) =>
  new Promise<{ url: string; close: () => void }>((done) => {
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://x").pathname.slice(1) || "index.html"
      try {
        const body = readFileSync(join(dir, path))
        response.writeHead(200, { "content-type": path.endsWith(".js") ? "text/javascript" : path.endsWith(".html") ? "text/html" : "application/octet-stream" }).end(body)
      } catch {
        response.writeHead(404).end()
      }
    })
    server.listen(0, "127.0.0.1", () => done({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() }))
  })

describe("web viewer in headless chromium", { skip: browserSkip() }, () => {
  const dir = tempDir("viewer")
  let tiny: TinyRun
  let browser: Browser
  let url: string
  let server: Fiber.RuntimeFiber<never, unknown>
  const novel = () => join(tiny.data, "novel_pose", "smpl_parms.npz")
  const longer = () => join(dir, "twelve.npz")

  before(async () => {
    tiny = await makeTinyRun(dir, { size: SIZE, querySize: 64 })
    // A 12-frame motion from the novel poses (alternating), to play and scrub.
    const npz = await Effect.runPromise(readNpz(novel()))
    const pose = await Effect.runPromise(npz.get("body_pose"))
    const trans = await Effect.runPromise(npz.get("trans"))
    const rows = (a: typeof pose, w: number) => Float32Array.from({ length: 12 * w }, (_, k) => Number(a.data[(Math.floor(k / w) % 2) * w + (k % w)]))
    await Effect.runPromise(writeNpz(longer(), { body_pose: ndarray([12, 72], rows(pose, 72)), transl: ndarray([12, 3], rows(trans, 3)) }))
    const anim = await gavatar("export", "--run", tiny.run, "--poses", novel(), "--out", join(dir, "novel.anim"))
    assert.equal(anim.code, 0, anim.err.join("\n"))
    const rendered = await gavatar("render", "--run", tiny.run, "--poses", novel(), "--out", join(dir, "render"))
    assert.equal(rendered.code, 0, rendered.err.join("\n"))
    const { data } = await Effect.runPromise(viewerData({ run: tiny.run, poses: [novel(), longer()], anims: [join(dir, "novel.anim")], fps: 30 }).pipe(Effect.provide(testLayers("wasm"))))
    const site = await Effect.runPromise(makeSite(data))
    url = await new Promise<string>((ready) => {
      server = Effect.runFork(serveSite(site, "127.0.0.1", 0, ready))
    })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    if (server) await Effect.runPromise(Fiber.interrupt(server))
    spawnSync("rm", ["-rf", dir])
  })

  it("loads without console errors and says that skinned mode approximates stage 2's appearance", async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())))
    page.on("pageerror", (e) => void errors.push(String(e)))
    await page.goto(url)
    await page.waitForSelector("body[data-ready='1']", { timeout: 120_000 })
    await page.evaluate(() => (window as unknown as { gavatarViewer: { nextRenders: (n: number) => Promise<void> } }).gavatarViewer.nextRenders(3))
    assert.deepEqual(errors, [])
    const note = await page.$eval("#note", (e) => e.textContent ?? "")
    assert.match(note, /pose-dependent appearance of stage 2 is approximated/)
    assert.deepEqual((await state(page)).motions, ["training poses", "smpl_parms.npz", "twelve.npz"])
    await page.close()
  })

  it(`a screenshot matches gavatar render of the same pose and camera: exact >= ${imageTolerances.viewerExactPsnr} dB, skinned >= ${imageTolerances.viewerSkinnedPsnr} dB`, async (t) => {
    const { page, errors } = await openViewer(browser, url, SIZE, SIZE)
    const render = await Effect.runPromise(decodePng(readFileSync(join(dir, "render", "frames", "00001.png")), "render"))
    await showFrame(page, "anim:0", 1)
    const exact = psnr(await settledScreenshot(page), render, SIZE * SIZE)
    await showFrame(page, "motion:1", 1)
    const skinned = psnr(await settledScreenshot(page), render, SIZE * SIZE)
    t.diagnostic(`PSNR against gavatar render: exact ${exact.toFixed(2)} dB, skinned ${skinned.toFixed(2)} dB`)
    assert.ok(exact >= imageTolerances.viewerExactPsnr, `exact mode ${exact.toFixed(2)} dB`)
    assert.ok(skinned >= imageTolerances.viewerSkinnedPsnr, `skinned mode ${skinned.toFixed(2)} dB`)
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("play, pause and the scrubber change the frame", async () => {
    const { page, errors } = await openViewer(browser, url, SIZE * 4, SIZE + 120, false)
    await showFrame(page, "motion:2", 0)
    assert.equal((await state(page)).frame, 0)
    await page.click("#play")
    await page.waitForFunction(() => (window as unknown as { gavatarViewer: { state: () => ViewerState } }).gavatarViewer.state().frame > 0, { timeout: 60_000 })
    await page.click("#play")
    const paused = await state(page)
    assert.equal(paused.playing, false)
    await new Promise((done) => setTimeout(done, 700))
    assert.equal((await state(page)).frame, paused.frame)
    await page.$eval("#scrub", (e) => {
      const input = e as HTMLInputElement
      input.value = "7"
      input.dispatchEvent(new Event("input"))
    })
    await page.evaluate(() => (window as unknown as { gavatarViewer: { nextRenders: (n: number) => Promise<void> } }).gavatarViewer.nextRenders(2))
    assert.equal((await state(page)).frame, 7)
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("a pose file dropped onto the page joins the motions and plays", async () => {
    const { page, errors } = await openViewer(browser, url, SIZE, SIZE)
    const bytes = readFileSync(longer()).toString("base64")
    await page.evaluate((b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([data], "dropped.npz"))
      document.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }))
    }, bytes)
    await page.waitForFunction(() => (window as unknown as { gavatarViewer: { state: () => ViewerState } }).gavatarViewer.state().motions.includes("dropped.npz"), { timeout: 60_000 })
    const dropped = await state(page)
    assert.equal(dropped.motion, 3)
    assert.equal(dropped.playing, true)
    assert.equal(dropped.frames, 12)
    await page.waitForFunction(() => (window as unknown as { gavatarViewer: { state: () => ViewerState } }).gavatarViewer.state().frame > 0, { timeout: 60_000 })
    assert.deepEqual(errors, [])
    await page.close()
  })

  it("gavatar export --format web: a static folder that any file server serves", async () => {
    const web = join(dir, "web")
    const result = await gavatar("export", "--run", tiny.run, "--format", "web", "--out", web, "--poses", novel(), "--anim", join(dir, "novel.anim"))
    assert.equal(result.code, 0, result.err.join("\n"))
    const host = await serveFolder(web)
    try {
      const { page, errors } = await openViewer(browser, host.url, SIZE, SIZE)
      await showFrame(page, "anim:0", 1)
      const render = await Effect.runPromise(decodePng(readFileSync(join(dir, "render", "frames", "00001.png")), "render"))
      const exact = psnr(await settledScreenshot(page), render, SIZE * SIZE)
      assert.ok(exact >= imageTolerances.viewerExactPsnr, `exact mode from the static folder ${exact.toFixed(2)} dB`)
      assert.deepEqual(errors, [])
      await page.close()
    } finally {
      host.close()
    }
  })
})
