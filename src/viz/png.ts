/** Write a Canvas as a PNG file (through src/io/png.ts), creating the folder if needed. */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import type { Image8 } from "../io/png.ts"
import { encodePng } from "../io/png.ts"
import type { Canvas } from "./canvas.ts"

export const canvasImage = (canvas: Canvas): Image8 => ({ width: canvas.width, height: canvas.height, channels: 4, data: canvas.pixels })

export const writePng = (file: string, canvas: Canvas): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, encodePng(canvasImage(canvas)))
}
