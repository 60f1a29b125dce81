/**
 * Line and scatter plots onto a Canvas: axes with tick marks at the data's
 * nice round values, optional log-scaled y. Meant for loss curves and fits
 * that a person looks at; the numbers themselves go to the console or JSON.
 */
import type { Canvas, Rgb } from "./canvas.ts"
import { createCanvas, drawDot, drawLine } from "./canvas.ts"

export interface Series {
  readonly points: ReadonlyArray<readonly [number, number]>
  readonly color: Rgb
  readonly style: "line" | "dots"
}

export interface PlotOptions {
  readonly width?: number
  readonly height?: number
  readonly logY?: boolean
}

const margin = 40

const extent = (values: ReadonlyArray<number>): [number, number] => {
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi]
}

export const plot = (series: ReadonlyArray<Series>, options: PlotOptions = {}): Canvas => {
  const width = options.width ?? 640
  const height = options.height ?? 400
  const canvas = createCanvas(width, height)
  const ty = (y: number) => (options.logY ? Math.log10(Math.max(y, 1e-12)) : y)
  const all = series.flatMap((s) => s.points)
  if (all.length === 0) return canvas
  const [x0, x1] = extent(all.map((p) => p[0]))
  const [y0, y1] = extent(all.map((p) => ty(p[1])))
  const px = (x: number) => margin + ((x - x0) / (x1 - x0)) * (width - 2 * margin)
  const py = (y: number) => height - margin - ((ty(y) - y0) / (y1 - y0)) * (height - 2 * margin)
  const axis: Rgb = [60, 60, 60]
  drawLine(canvas, margin, height - margin, width - margin, height - margin, axis)
  drawLine(canvas, margin, margin, margin, height - margin, axis)
  for (let k = 0; k <= 4; k++) {
    const tx = margin + (k / 4) * (width - 2 * margin)
    const tyy = height - margin - (k / 4) * (height - 2 * margin)
    drawLine(canvas, tx, height - margin, tx, height - margin + 5, axis)
    drawLine(canvas, margin - 5, tyy, margin, tyy, axis)
  }
  for (const s of series) {
    if (s.style === "dots") for (const [x, y] of s.points) drawDot(canvas, px(x), py(y), s.color)
    else
      for (let i = 1; i < s.points.length; i++) {
        const [ax, ay] = s.points[i - 1] as readonly [number, number]
        const [bx, by] = s.points[i] as readonly [number, number]
        drawLine(canvas, px(ax), py(ay), px(bx), py(by), s.color, 2)
      }
  }
  return canvas
}
