/**
 * Close-ups of an evaluation frame, for judging sharpness by eye: from one of `gavatar eval`'s or
 * the demo's side-by-side frames (ground truth | render | error, each panel as wide as the frame is
 * tall), the boxes (default: the face and the chest of the demo's novel pose frame 3) of the ground
 * truth above the render, each enlarged `--zoom` times (nearest neighbour, so pixels stay pixels).
 *   npm run example:detail-crops -- --frame out/demo/novel_pose/frames/00003.png --out crops.png
 *     [--boxes "x,y,w,h;x,y,w,h"] [--zoom 3]
 */
import { Effect } from "effect"
import { parseArgs } from "node:util"
import type { Image8 } from "../src/io/png.ts"
import { readPng, writePng } from "../src/io/png.ts"

interface Box {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

const { values } = parseArgs({
  options: {
    frame: { type: "string", default: "out/demo/novel_pose/frames/00003.png" },
    out: { type: "string", default: "out/demo/detail-crops.png" },
    boxes: { type: "string", default: "215,35,75,75;210,115,100,75" },
    zoom: { type: "string", default: "3" }
  }
})

const parseBoxes = (text: string): ReadonlyArray<Box> =>
  text.split(";").map((part) => {
    const [x, y, w, h] = part.split(",").map(Number)
    if ([x, y, w, h].some((v) => v === undefined || !Number.isInteger(v) || v < 0)) throw new Error(`--boxes: "${part}" is not x,y,w,h in whole pixels`)
    return { x: x as number, y: y as number, w: w as number, h: h as number }
  })

/** Copies `box` of the panel starting at column `panelX` into `out` at (left, top), each pixel zoom x zoom. */
const blit = (frame: Image8, panelX: number, box: Box, zoom: number, out: Uint8Array, outWidth: number, left: number, top: number): void => {
  for (let y = 0; y < box.h * zoom; y++)
    for (let x = 0; x < box.w * zoom; x++) {
      const source = 4 * ((box.y + Math.floor(y / zoom)) * frame.width + panelX + box.x + Math.floor(x / zoom))
      const target = 3 * ((top + y) * outWidth + left + x)
      for (let c = 0; c < 3; c++) out[target + c] = frame.data[source + c] as number
    }
}

const crops = (frame: Image8, boxes: ReadonlyArray<Box>, zoom: number): Image8 => {
  const gap = 4
  const width = boxes.reduce((s, b) => s + b.w * zoom + gap, -gap)
  const rowHeight = Math.max(...boxes.map((b) => b.h * zoom))
  const height = 2 * rowHeight + gap
  const data = new Uint8Array(3 * width * height).fill(255)
  const panel = frame.height
  let left = 0
  for (const box of boxes) {
    if (box.x + box.w > panel || box.y + box.h > frame.height) throw new Error(`box ${box.x},${box.y},${box.w},${box.h} leaves the ${panel}x${frame.height} panel`)
    blit(frame, 0, box, zoom, data, width, left, 0)
    blit(frame, panel, box, zoom, data, width, left, rowHeight + gap)
    left += box.w * zoom + gap
  }
  return { width, height, channels: 3, data }
}

await Effect.runPromise(
  Effect.gen(function* () {
    const frame = yield* readPng(values.frame)
    yield* writePng(values.out, crops(frame, parseBoxes(values.boxes), Number(values.zoom)))
    console.log(`wrote ${values.out}: ground truth (top) and render (bottom) of ${values.frame}`)
  })
)
