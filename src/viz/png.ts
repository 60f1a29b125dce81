/** Write a Canvas as a PNG file (pngjs), creating the folder if needed. */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { PNG } from "pngjs"
import type { Canvas } from "./canvas.ts"

export const encodePng = (canvas: Canvas): Buffer => {
  const png = new PNG({ width: canvas.width, height: canvas.height })
  png.data = Buffer.from(canvas.pixels.buffer, canvas.pixels.byteOffset, canvas.pixels.byteLength)
  return PNG.sync.write(png)
}

export const writePng = (file: string, canvas: Canvas): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, encodePng(canvas))
}
