/**
 * Packing charts into the unit square, and checking the atlas for overlaps.
 * Charts keep their metric scale (one scale for all, so texel density is even
 * over the body), are turned to lie wide, and are placed in the order given (parts of one limb follow each other, so neighbouring parts land near
 * each other) by a skyline packer; the width is searched for the smallest square.
 */
import { rasterizeTriangles } from "../../ops/uvMaps/rasterize.ts"
import type { UvLayout } from "../model.ts"
import type { Chart } from "./charts.ts"

interface Box {
  readonly minX: number
  readonly minY: number
  readonly width: number
  readonly height: number
  readonly turned: boolean
}

const boxOf = (chart: Chart): Box => {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  for (let i = 0; i < chart.corners.length; i += 2) {
    minX = Math.min(minX, chart.corners[i]!)
    maxX = Math.max(maxX, chart.corners[i]!)
    minY = Math.min(minY, chart.corners[i + 1]!)
    maxY = Math.max(maxY, chart.corners[i + 1]!)
  }
  const width = maxX - minX
  const height = maxY - minY
  return { minX, minY, width: Math.max(width, height), height: Math.min(width, height), turned: height > width }
}

interface Placement {
  readonly x: number
  readonly y: number
}

/** Columns of the skyline (the packing's horizontal resolution). */
const COLUMNS = 256

/** A chart's corners moved to its box's corner and turned to lie wide. */
const placedCorners = (chart: Chart, box: Box): Float64Array => {
  const out = new Float64Array(chart.corners.length)
  for (let i = 0; i < chart.corners.length; i += 2) {
    const dx = chart.corners[i]! - box.minX
    const dy = chart.corners[i + 1]! - box.minY
    // a quarter turn (x, y) -> (y, h - x) keeps the orientation of every face
    out[i] = box.turned ? dy : dx
    out[i + 1] = box.turned ? box.height - dx : dy
  }
  return out
}

/** Per column of width `column`: the lowest and highest y of the chart's faces that reach into it (conservative). */
const profile = (corners: Float64Array, span: number, column: number): { lower: Float64Array; upper: Float64Array } => {
  const lower = new Float64Array(span).fill(Infinity)
  const upper = new Float64Array(span).fill(-Infinity)
  for (let i = 0; i < corners.length; i += 6) {
    const xs = [corners[i]!, corners[i + 2]!, corners[i + 4]!]
    const ys = [corners[i + 1]!, corners[i + 3]!, corners[i + 5]!]
    const lo = Math.min(...ys)
    const hi = Math.max(...ys)
    const c1 = Math.min(span - 1, Math.floor(Math.max(...xs) / column))
    for (let c = Math.floor(Math.min(...xs) / column); c <= c1; c++) {
      lower[c] = Math.min(lower[c]!, lo)
      upper[c] = Math.max(upper[c]!, hi)
    }
  }
  return { lower, upper }
}

/**
 * Skyline packing in the given order for one atlas width: each chart goes
 * where it rests lowest (leftmost on ties), its lower outline on the outline
 * of what is already there, so wavy charts interlock.
 */
const skyline = (local: ReadonlyArray<Float64Array>, boxes: ReadonlyArray<Box>, width: number, gap: number): { placements: Placement[]; height: number } => {
  const column = width / COLUMNS
  const heights = new Float64Array(COLUMNS)
  const placements: Placement[] = []
  let top = 0
  local.forEach((corners, n) => {
    const span = Math.min(COLUMNS, Math.ceil((boxes[n]!.width + gap) / column))
    const { lower, upper } = profile(corners, span, column)
    let bestX = 0
    let bestY = Infinity
    for (let x = 0; x + span <= COLUMNS; x++) {
      let y = 0
      for (let c = 0; c < span; c++) if (lower[c]! !== Infinity) y = Math.max(y, heights[x + c]! - lower[c]!)
      if (y < bestY) {
        bestY = y
        bestX = x
      }
    }
    placements.push({ x: bestX * column, y: bestY })
    for (let c = 0; c < span; c++) {
      if (upper[c]! === -Infinity) continue
      for (const k of [c - 1, c, c + 1]) if (k >= 0 && k < span) heights[bestX + k] = Math.max(heights[bestX + k]!, bestY + upper[c]! + gap)
    }
    top = Math.max(top, bestY + boxes[n]!.height)
  })
  return { placements, height: top }
}

/** Pack charts into [0, 1]^2 with `gapTexels` texels of an S = `gapSize` map between charts. */
export const packCharts = (charts: ReadonlyArray<Chart>, gapTexels: number, gapSize: number): Float64Array[] => {
  const boxes = charts.map(boxOf)
  const local = charts.map((chart, c) => placedCorners(chart, boxes[c]!))
  const area = boxes.reduce((s, b) => s + b.width * b.height, 0)
  const widest = Math.max(...boxes.map((b) => b.width))
  let gap = 0
  let best = { placements: [] as Placement[], side: Infinity }
  for (let pass = 0; pass < 2; pass++) {
    best = { placements: [], side: Infinity }
    for (let i = 0; i <= 8; i++) {
      const width = Math.max(widest * 1.01, Math.sqrt(area) * (0.8 + i * 0.05))
      const packed = skyline(local, boxes, width, gap)
      const side = Math.max(width, packed.height)
      if (side < best.side) best = { placements: packed.placements, side }
    }
    gap = (best.side * gapTexels) / gapSize
  }
  const side = best.side * (1 + (2 * gapTexels) / gapSize)
  const margin = (best.side * gapTexels) / gapSize
  return local.map((corners, c) => {
    const at = best.placements[c]!
    return corners.map((x, i) => (margin + (i % 2 === 0 ? at.x : at.y) + x) / side)
  })
}

/** vt / ft from packed charts; corners of one vertex with equal coordinates in one chart share a vt entry. */
export const layoutFrom = (charts: ReadonlyArray<Chart>, packed: ReadonlyArray<Float64Array>, faces: Uint32Array, faceCount: number): UvLayout => {
  const vt: number[] = []
  const ft = new Uint32Array(3 * faceCount)
  charts.forEach((chart, c) => {
    const coords = packed[c]!
    const known = new Map<string, number>()
    chart.faces.forEach((f, i) => {
      for (let k = 0; k < 3; k++) {
        const u = coords[6 * i + 2 * k]!
        const v = coords[6 * i + 2 * k + 1]!
        const key = `${faces[3 * f + k]},${u},${v}`
        let id = known.get(key)
        if (id === undefined) {
          id = vt.length / 2
          vt.push(u, v)
          known.set(key, id)
        }
        ft[3 * f + k] = id
      }
    })
  })
  return { vt: Float64Array.from(vt), ft }
}

/** Faces that share a texel with another face at any of the sizes. */
export const overlappingFaces = (layout: UvLayout, sizes: ReadonlyArray<number>): Set<number> => {
  const found = new Set<number>()
  for (const size of sizes) {
    const owner = new Int32Array(size * size).fill(-1)
    const corners = layout.vt.map((x) => x * size)
    rasterizeTriangles(corners, layout.ft, size, (texel, face) => {
      const other = owner[texel]!
      if (other >= 0) {
        found.add(other)
        found.add(face)
      } else owner[texel] = face
    })
  }
  return found
}
