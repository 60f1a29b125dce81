/**
 * One picture of every frame: per split, a coloured band (train grey, test
 * blue, novel_pose orange) then its frames in rows, shrunk by an integer
 * factor, on a light grey ground so the white frames stand apart.
 */
import type { Image8 } from "../io/png.ts"
import type { SplitName } from "./generate.ts"

const COLUMNS = 10
const GAP = 2
const BAND = 6
const GROUND = 215
const BAND_COLOURS: { readonly [K in SplitName]: readonly [number, number, number] } = {
  train: [110, 110, 110],
  test: [40, 90, 200],
  novel_pose: [240, 140, 20]
}

const shrink = (image: Image8, factor: number, out: Image8, left: number, top: number): void => {
  const w = Math.floor(image.width / factor), h = Math.floor(image.height / factor)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let sum = 0
        for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += image.data[((y * factor + dy) * image.width + x * factor + dx) * image.channels + c]!
        out.data[3 * ((top + y) * out.width + left + x) + c] = Math.round(sum / (factor * factor))
      }
}

export const contactSheet = (splits: ReadonlyArray<{ readonly name: SplitName; readonly images: ReadonlyArray<Image8> }>): Image8 => {
  const first = splits.find((s) => s.images.length > 0)?.images[0]
  if (first === undefined) return { width: 1, height: 1, channels: 3, data: new Uint8Array([255, 255, 255]) }
  const factor = first.width >= 128 ? 2 : 1
  const tw = Math.floor(first.width / factor), th = Math.floor(first.height / factor)
  const width = GAP + COLUMNS * (tw + GAP)
  const rowsOf = (n: number) => Math.ceil(n / COLUMNS)
  const height = splits.reduce((h, s) => h + BAND + GAP + rowsOf(s.images.length) * (th + GAP), 0)
  const sheet: Image8 = { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(GROUND) }
  let top = 0
  for (const s of splits) {
    for (let y = top; y < top + BAND; y++) for (let x = 0; x < width; x++) sheet.data.set(BAND_COLOURS[s.name], 3 * (y * width + x))
    top += BAND + GAP
    s.images.forEach((image, i) => shrink(image, factor, sheet, GAP + (i % COLUMNS) * (tw + GAP), top + Math.floor(i / COLUMNS) * (th + GAP)))
    top += rowsOf(s.images.length) * (th + GAP)
  }
  return sheet
}
