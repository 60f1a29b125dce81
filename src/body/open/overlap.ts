/**
 * Exact test for faces of one chart that overlap in UV (a fold): triangles
 * are bucketed by their bounding boxes on a grid, and each pair in a bucket
 * that does not share an edge is tested with the separating axis theorem.
 * Triangles that only touch (on an edge or a corner) do not overlap.
 */
import type { Chart } from "./charts.ts"

/** Whether two triangles (6 numbers each) have interior points in common. */
const interiorsMeet = (a: Float64Array, ai: number, b: Float64Array, bi: number): boolean => {
  const separates = (p: Float64Array, pi: number, q: Float64Array, qi: number): boolean => {
    for (let e = 0; e < 3; e++) {
      const x0 = p[pi + 2 * e]!, y0 = p[pi + 2 * e + 1]!
      const x1 = p[pi + ((2 * e + 2) % 6)]!, y1 = p[pi + ((2 * e + 3) % 6)]!
      const nx = y0 - y1, ny = x1 - x0
      let pMin = Infinity, pMax = -Infinity, qMin = Infinity, qMax = -Infinity
      for (let k = 0; k < 3; k++) {
        const s = nx * p[pi + 2 * k]! + ny * p[pi + 2 * k + 1]!
        const t = nx * q[qi + 2 * k]! + ny * q[qi + 2 * k + 1]!
        pMin = Math.min(pMin, s), pMax = Math.max(pMax, s), qMin = Math.min(qMin, t), qMax = Math.max(qMax, t)
      }
      const slack = 1e-12 * (Math.abs(nx) + Math.abs(ny))
      if (pMax <= qMin + slack || qMax <= pMin + slack) return true
    }
    return false
  }
  return !separates(a, ai, b, bi) && !separates(b, bi, a, ai)
}

const sharedVertices = (faces: Uint32Array, f: number, g: number): number => {
  let n = 0
  for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) if (faces[3 * f + i] === faces[3 * g + k]) n++
  return n
}

/** Faces of the chart whose UV triangle overlaps another one of the chart. */
export const foldedFaces = (chart: Chart, meshFaces: Uint32Array): number[] => {
  const c = chart.corners
  const count = chart.faces.length
  const box = new Float64Array(4 * count) // minX, minY, maxX, maxY per face
  let minX = Infinity, minY = Infinity, span = 0
  for (let i = 0; i < count; i++) {
    const x0 = c[6 * i]!, x1 = c[6 * i + 2]!, x2 = c[6 * i + 4]!
    const y0 = c[6 * i + 1]!, y1 = c[6 * i + 3]!, y2 = c[6 * i + 5]!
    box[4 * i] = Math.min(x0, x1, x2)
    box[4 * i + 1] = Math.min(y0, y1, y2)
    box[4 * i + 2] = Math.max(x0, x1, x2)
    box[4 * i + 3] = Math.max(y0, y1, y2)
    span += box[4 * i + 2]! - box[4 * i]! + box[4 * i + 3]! - box[4 * i + 1]!
    minX = Math.min(minX, box[4 * i]!)
    minY = Math.min(minY, box[4 * i + 1]!)
  }
  const cell = Math.max(span / Math.max(1, count), 1e-9)
  const buckets = new Map<number, number[]>()
  const key = (gx: number, gy: number) => gy * 1_000_003 + gx
  for (let i = 0; i < count; i++) {
    const gx0 = Math.floor((box[4 * i]! - minX) / cell), gx1 = Math.floor((box[4 * i + 2]! - minX) / cell)
    const gy0 = Math.floor((box[4 * i + 1]! - minY) / cell), gy1 = Math.floor((box[4 * i + 3]! - minY) / cell)
    for (let gy = gy0; gy <= gy1; gy++)
      for (let gx = gx0; gx <= gx1; gx++) {
        const list = buckets.get(key(gx, gy))
        if (list) list.push(i)
        else buckets.set(key(gx, gy), [i])
      }
  }
  const found = new Set<number>()
  const boxesMeet = (i: number, j: number) =>
    box[4 * i]! < box[4 * j + 2]! && box[4 * j]! < box[4 * i + 2]! && box[4 * i + 1]! < box[4 * j + 3]! && box[4 * j + 1]! < box[4 * i + 3]!
  for (const list of buckets.values())
    for (let a = 0; a < list.length; a++)
      for (let b = a + 1; b < list.length; b++) {
        const i = list[a]!, j = list[b]!
        if (!boxesMeet(i, j) || sharedVertices(meshFaces, chart.faces[i]!, chart.faces[j]!) >= 2) continue
        if (interiorsMeet(c, 6 * i, c, 6 * j)) {
          found.add(chart.faces[i]!)
          found.add(chart.faces[j]!)
        }
      }
  return [...found]
}
