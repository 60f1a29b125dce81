import puppeteer from "puppeteer-core"
import { readFileSync } from "node:fs"
const browser = await puppeteer.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"] })
const page = await browser.newPage()
page.on("console", (m) => console.log("console", m.type(), m.text().slice(0, 300)))
page.on("pageerror", (e) => console.log("pageerror", e.message))
await page.goto("http://127.0.0.1:8765/?play=0")
await page.waitForSelector("body[data-ready='1']")
const b64 = readFileSync("/tmp/vw/data/novel_pose/smpl_parms.npz").toString("base64")
await page.evaluate((b64) => {
  const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
  const transfer = new DataTransfer()
  transfer.items.add(new File([data], "dropped.npz"))
  document.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }))
}, b64)
await new Promise((r) => setTimeout(r, 3000))
console.log(await page.$eval("#status", (e) => e.textContent), JSON.stringify(await page.evaluate(() => window.gavatarViewer.state())))
await browser.close()
