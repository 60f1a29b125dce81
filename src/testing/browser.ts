/**
 * Headless chromium for the viewer's tests and bench: Debian's `chromium` package (CI installs it)
 * driven by puppeteer-core (no browser download), WebGL on SwiftShader (software). The browser is
 * found at GAVATAR_CHROMIUM, else /usr/bin/chromium; absent, tests skip with the reason, unless
 * GAVATAR_REQUIRE_BROWSER=1 (CI), which makes that a failure.
 */
import { existsSync } from "node:fs"
import type { Browser, Page } from "puppeteer-core"

export const CHROMIUM_FLAGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"]

export const chromiumPath = (): string | undefined => {
  const named = process.env["GAVATAR_CHROMIUM"]
  if (named !== undefined && named !== "") return existsSync(named) ? named : undefined
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined
}

/** false when a browser is there (or required), else why the browser tests skip. */
export const browserSkip = (): false | string =>
  chromiumPath() !== undefined || process.env["GAVATAR_REQUIRE_BROWSER"] === "1" ? false : "no chromium (apt-get install chromium, or set GAVATAR_CHROMIUM)"

export const launchBrowser = async (): Promise<Browser> => {
  const { default: puppeteer } = await import("puppeteer-core")
  const executablePath = chromiumPath()
  if (executablePath === undefined) throw new Error("no chromium at /usr/bin/chromium or GAVATAR_CHROMIUM (GAVATAR_REQUIRE_BROWSER=1 makes that a failure)")
  return puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS })
}

/** Console errors and uncaught exceptions of a page, collected from now on. */
export const collectErrors = (page: Page): string[] => {
  const errors: string[] = []
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(e instanceof Error ? e.message : String(e)))
  return errors
}

/** Opens the viewer at `url` paused, with a window of width x height (bare: the canvas alone), and waits until it is ready. */
export const openViewer = async (browser: Browser, url: string, width: number, height: number, bare = true): Promise<{ readonly page: Page; readonly errors: string[] }> => {
  const page = await browser.newPage()
  const errors = collectErrors(page)
  await page.setViewport({ width, height })
  await page.goto(`${url}?bare=${bare ? 1 : 0}&play=0`)
  await page.waitForSelector("body[data-ready='1']", { timeout: 120_000 })
  return { page, errors }
}
