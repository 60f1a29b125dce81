/**
 * Packing charts into the unit square, and checking the atlas for overlaps.
 * Charts keep their metric scale (one scale for all, so texel density is even
 * over the body). Their boxes go into the smallest square that MaxRects can
 * fill (searched by bisection): the large charts first, in the order given
 * (body order, so neighbouring parts tend to land near each other), then the
 * small ones, largest first, into the gaps. A gap of about half a texel of the
 * 128 map separates charts. Parts that share an axis also share a chart (see
 * CHART_GROUPS in openBody.ts).
 */
import { rasterizeTriangles } from "../../ops/uvMaps/rasterize.ts"
import type { UvLayout } from "../model.ts"
import type { Chart } from "./charts.ts"
import { maxRects } from "./maxRects.ts"

/** A chart's corners in one orientation, moved so that its box starts at (0, 0). */
interface Oriented {
  readonly corners: Float64Array
  readonly width: number
  readonly height: number
}

/** The chart, upright or turned a quarter (a turn keeps every face's orientation), its box at the origin. */
const orient = (chart: Chart, turned90: boolean): Oriented => {
  const c = chart.corners
  const turned = new Float64Array(c.length)
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  for (let i = 0; i < c.length; i += 2) {
    const [x, y] = turned90 ? [-c[i + 1]!, c[i]!] : [c[i]!, c[i + 1]!]
    turned[i] = x
    turned[i + 1] = y
    minX = Math.min(minX, x)
    maxX = Math.max(maxX, x)
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  for (let i = 0; i < c.length; i += 2) {
    turned[i]! -= minX
    turned[i + 1]! -= minY
  }
  return { corners: turned, width: maxX - minX, height: maxY - minY }
}

/** Charts larger than this share of the total box area are placed in body order; the rest, largest first, fill the gaps. */
const LARGE_CHART = 0.01

/** Pack charts into [0, 1]^2 with about `gapTexels` texels of an S = `gapSize` map between charts. */
export const packCharts = (charts: ReadonlyArray<Chart>, gapTexels: number, gapSize: number): Float64Array[] => {
  const upright = charts.map((chart) => orient(chart, false))
  const area = upright.reduce((s, o) => s + o.width * o.height, 0)
  const gap = (Math.sqrt(area) * gapTexels) / gapSize
  const areaOf = (n: number) => upright[n]!.width * upright[n]!.height
  const large = (n: number) => areaOf(n) > LARGE_CHART * area
  const order = upright.map((_, n) => n).sort((a, b) => Number(large(b)) - Number(large(a)) || (large(a) ? a - b : areaOf(b) - areaOf(a)))
  const boxes = order.map((n) => ({ w: upright[n]!.width, h: upright[n]!.height }))
  let low = Math.sqrt(area)
  let high = 1.4 * Math.sqrt(area) + Math.max(...boxes.map((b) => Math.max(b.w, b.h)))
  let placed = maxRects(boxes, high, gap)!
  for (let i = 0; i < 9; i++) {
    const mid = (low + high) / 2
    const attempt = maxRects(boxes, mid, gap)
    if (attempt) {
      high = mid
      placed = attempt
    } else low = mid
  }
  const side = high + gap
  const out = new Array<Float64Array>(charts.length)
  order.forEach((n, k) => {
    const at = placed[k]!
    const o = orient(charts[n]!, at.turned)
    out[n] = o.corners.map((x, i) => (gap + (i % 2 === 0 ? at.x : at.y) + x) / side)
  })
  return out
}

/** vt / ft from packed charts; corners of one vertex with equal coordinates in one chart share a vt entry. */
export const layoutFrom = (charts: ReadonlyArray<Chart>, packed: ReadonlyArray<Float64Array>, faces: Uint32Array, faceCount: number): UvLayout => {
  const vt: number[] = []
  const ft = new Uint32Array(3 * faceCount)
  charts.forEach((chart, c) => {
    const coords = packed[c]!
    const known = new Map<number, number[]>()
    chart.faces.forEach((f, i) => {
      for (let k = 0; k < 3; k++) {
        const u = coords[6 * i + 2 * k]!
        const v = coords[6 * i + 2 * k + 1]!
        const vertex = faces[3 * f + k]!
        const ids = known.get(vertex) ?? []
        let id = ids.find((t) => vt[2 * t] === u && vt[2 * t + 1] === v)
        if (id === undefined) {
          id = vt.length / 2
          vt.push(u, v)
          ids.push(id)
          known.set(vertex, ids)
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

