/** A tiny RGBA raster for plots and previews: fill, lines, dots. No dependencies. */

export type Rgb = readonly [number, number, number]

export interface Canvas {
  readonly width: number
  readonly height: number
  /** RGBA, row-major, 8 bits per channel. */
  readonly pixels: Uint8Array
}

export const createCanvas = (width: number, height: number, background: Rgb = [255, 255, 255]): Canvas => {
  const pixels = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) pixels.set([background[0], background[1], background[2], 255], i * 4)
  return { width, height, pixels }
}

export const setPixel = (c: Canvas, x: number, y: number, color: Rgb): void => {
  const xi = Math.round(x)
  const yi = Math.round(y)
  if (xi < 0 || yi < 0 || xi >= c.width || yi >= c.height) return
  c.pixels.set(color, (yi * c.width + xi) * 4)
}

/** A straight line (DDA), `thickness` pixels wide. */
export const drawLine = (c: Canvas, x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void => {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))))
  const r = Math.floor(thickness / 2)
  for (let s = 0; s <= steps; s++) {
    const x = x0 + ((x1 - x0) * s) / steps
    const y = y0 + ((y1 - y0) * s) / steps
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) setPixel(c, x + dx, y + dy, color)
  }
}

export const drawDot = (c: Canvas, x: number, y: number, color: Rgb, radius = 2): void => {
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius) setPixel(c, x + dx, y + dy, color)
}
