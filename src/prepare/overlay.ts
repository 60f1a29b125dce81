/**
 * Checking pictures of `gavatar prepare`: each frame with the mask's outline (red), the fitted body's
 * outline (green) and the landmarks the fit used (yellow dots, their body points in magenta); and a
 * contact sheet of them.
 */
import type { Image8 } from "../io/png.ts"

type Rgb = readonly [number, number, number]
const MASK: Rgb = [230, 30, 30]
const BODY: Rgb = [40, 200, 60]
const LANDMARK: Rgb = [250, 220, 0]
const BODY_POINT: Rgb = [220, 40, 220]

const put = (image: Image8, x: number, y: number, c: Rgb): void => {
  const xi = Math.round(x), yi = Math.round(y)
  if (xi < 0 || yi < 0 || xi >= image.width || yi >= image.height) return
  image.data.set(c, 3 * (yi * image.width + xi))
}

const outline = (image: Image8, inside: (i: number) => boolean, c: Rgb): void => {
  const { width: w, height: h } = image
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x
      if (!inside(i)) continue
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || !inside(i - 1) || !inside(i + 1) || !inside(i - w) || !inside(i + w)) put(image, x, y, c)
    }
}

const dot = (image: Image8, x: number, y: number, c: Rgb): void => {
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (dx * dx + dy * dy <= 4) put(image, x + dx, y + dy, c)
}

export interface OverlayParts {
  readonly mask: Uint8Array
  readonly silhouette: Uint8Array
  /** Used landmarks and their body points, pixels. */
  readonly landmarks: ReadonlyArray<readonly [number, number]>
  readonly bodyPoints: ReadonlyArray<readonly [number, number]>
}

export const overlay = (frame: Image8, parts: OverlayParts): Image8 => {
  const image: Image8 = { width: frame.width, height: frame.height, channels: 3, data: Uint8Array.from(frame.data) }
  outline(image, (i) => parts.mask[i]! >= 128, MASK)
  outline(image, (i) => parts.silhouette[i]! > 0, BODY)
  parts.bodyPoints.forEach(([x, y]) => dot(image, x, y, BODY_POINT))
  parts.landmarks.forEach(([x, y]) => dot(image, x, y, LANDMARK))
  return image
}

/** The pictures side by side, `columns` to a row, each shrunk by an integer factor to at most `cell` pixels wide. */
export const contactSheet = (pictures: ReadonlyArray<Image8>, columns = 10, cell = 160): Image8 => {
  const first = pictures[0]!
  const factor = Math.max(1, Math.ceil(first.width / cell))
  const w = Math.floor(first.width / factor), h = Math.floor(first.height / factor)
  const rows = Math.ceil(pictures.length / columns)
  const width = Math.min(columns, pictures.length) * w, height = rows * h
  const data = new Uint8Array(width * height * 3).fill(230)
  pictures.forEach((p, k) => {
    const ox = (k % columns) * w, oy = Math.floor(k / columns) * h
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) data[3 * ((oy + y) * width + ox + x) + c] = p.data[3 * (y * factor * p.width + x * factor) + c]!
  })
  return { width, height, channels: 3, data }
}
