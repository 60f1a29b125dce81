/**
 * Cutting the surface into UV charts. Each face belongs to a chart group (a
 * chain of parts along one axis, see CHART_GROUPS in openBody.ts) and, by how
 * its normal meets the axis, to the group's side (unrolled around the axis:
 * u = angle x mean radius, v = distance along the axis, seam at the back, cut
 * straight across the axis at given distances) or to one of its two ends
 * (projected along the axis). A chart is a connected set of faces of one group, in metres, with
 * the orientation of every face positive. Faces that would fold over (negative
 * area in their projection) are handed on to planar charts along their own
 * mean normal, and, failing that, to charts of one face each.
 */
import type { Vec3 } from "./primitives.ts"

export interface PartFrame {
  /** A point on the part's axis. */
  readonly origin: Vec3
  /** Unit axis, and the unit direction the part's front faces (the seam lies opposite). */
  readonly axis: Vec3
  readonly front: Vec3
}

export interface Chart {
  /** Faces of the chart. */
  readonly faces: Int32Array
  /** [3 * faces.length, 2] coordinates (metres) of each face's corners, in the order of `faces`. */
  readonly corners: Float64Array
}

export interface Surface {
  readonly positions: Float64Array
  readonly faces: Uint32Array
  readonly normals: Float64Array
  readonly faceJoint: Int32Array
}

type Projector = (p: Vec3) => readonly [number, number]

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const vertex = (s: Surface, v: number): Vec3 => [s.positions[3 * v]!, s.positions[3 * v + 1]!, s.positions[3 * v + 2]!]
const cornerOf = (s: Surface, f: number, k: number): Vec3 => vertex(s, s.faces[3 * f + k]!)

/** Faces whose normal meets the axis at more than this cosine are end faces. */
const END_COSINE = 0.7

const planar = (origin: Vec3, a: Vec3, b: Vec3): Projector => (p) => {
  const d: Vec3 = [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]]
  return [dot(d, a), dot(d, b)]
}

/** A basis (a, b) of the plane normal to n with a x b = n. */
const planeBasis = (n: Vec3): readonly [Vec3, Vec3] => {
  const helper: Vec3 = Math.abs(n[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0]
  const a = cross(helper, n)
  const len = Math.hypot(a[0], a[1], a[2])
  const an: Vec3 = [a[0] / len, a[1] / len, a[2] / len]
  return [an, cross(n, an)]
}

const signedArea = (c: Float64Array, i: number): number =>
  (c[i + 2]! - c[i]!) * (c[i + 5]! - c[i + 1]!) - (c[i + 4]! - c[i]!) * (c[i + 3]! - c[i + 1]!)

/** Unrolled coordinates of one face around the part axis; the face is kept on one side of the seam. */
const cylinderCorners = (s: Surface, frame: PartFrame, radius: number, f: number): Float64Array => {
  const e1 = frame.front
  const e2 = cross(frame.axis, e1)
  const out = new Float64Array(6)
  const angles: number[] = []
  for (let k = 0; k < 3; k++) {
    const p = cornerOf(s, f, k)
    const d: Vec3 = [p[0] - frame.origin[0], p[1] - frame.origin[1], p[2] - frame.origin[2]]
    angles.push(Math.atan2(dot(d, e2), dot(d, e1)))
    out[2 * k + 1] = dot(d, frame.axis)
  }
  const a0 = angles[0]!
  const unwrapped = angles.map((a) => a0 + Math.atan2(Math.sin(a - a0), Math.cos(a - a0)))
  const mean = (unwrapped[0]! + unwrapped[1]! + unwrapped[2]!) / 3
  const shift = mean > Math.PI ? -2 * Math.PI : mean <= -Math.PI ? 2 * Math.PI : 0
  for (let k = 0; k < 3; k++) out[2 * k] = (unwrapped[k]! + shift) * radius
  return out
}

const projectFace = (s: Surface, project: Projector, f: number): Float64Array => {
  const out = new Float64Array(6)
  for (let k = 0; k < 3; k++) out.set(project(cornerOf(s, f, k)), 2 * k)
  return out
}

/** Connected components of `faces` through shared edges. */
const components = (s: Surface, faces: ReadonlyArray<number>): Array<Array<number>> => {
  const inSet = new Set(faces)
  const byEdge = new Map<number, number[]>()
  const V = s.positions.length / 3
  for (const f of faces)
    for (let k = 0; k < 3; k++) {
      const a = s.faces[3 * f + k]!
      const b = s.faces[3 * f + ((k + 1) % 3)]!
      const key = Math.min(a, b) * V + Math.max(a, b)
      const list = byEdge.get(key)
      if (list) list.push(f)
      else byEdge.set(key, [f])
    }
  const seen = new Set<number>()
  const result: Array<Array<number>> = []
  for (const start of faces) {
    if (seen.has(start)) continue
    const comp: number[] = []
    const stack = [start]
    seen.add(start)
    while (stack.length > 0) {
      const f = stack.pop()!
      comp.push(f)
      for (let k = 0; k < 3; k++) {
        const a = s.faces[3 * f + k]!
        const b = s.faces[3 * f + ((k + 1) % 3)]!
        for (const g of byEdge.get(Math.min(a, b) * V + Math.max(a, b)) ?? [])
          if (inSet.has(g) && !seen.has(g)) {
            seen.add(g)
            stack.push(g)
          }
      }
    }
    result.push(comp)
  }
  return result
}

/** Split projected faces into a chart of those with positive area and the rest. */
const keepPositive = (faces: ReadonlyArray<number>, cornersOf: (f: number) => Float64Array): { chart: Chart | undefined; rejected: number[] } => {
  const kept: number[] = []
  const coords: Float64Array[] = []
  const rejected: number[] = []
  for (const f of faces) {
    const c = cornersOf(f)
    if (signedArea(c, 0) > 0) {
      kept.push(f)
      coords.push(c)
    } else rejected.push(f)
  }
  if (kept.length === 0) return { chart: undefined, rejected }
  const corners = new Float64Array(6 * kept.length)
  coords.forEach((c, i) => corners.set(c, 6 * i))
  return { chart: { faces: Int32Array.from(kept), corners }, rejected }
}

const meanNormal = (s: Surface, faces: ReadonlyArray<number>): Vec3 => {
  const n = [0, 0, 0]
  for (const f of faces) for (let k = 0; k < 3; k++) n[k]! += s.normals[3 * f + k]!
  const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1
  return [n[0]! / len, n[1]! / len, n[2]! / len]
}

/** Planar charts for faces the part's own projection could not take, then single-face charts. */
export const fallbackCharts = (s: Surface, faces: ReadonlyArray<number>): Chart[] => {
  const charts: Chart[] = []
  for (const comp of components(s, faces)) {
    const n = meanNormal(s, comp)
    const [a, b] = planeBasis(n)
    const project = planar(cornerOf(s, comp[0]!, 0), a, b)
    const { chart, rejected } = keepPositive(comp, (f) => projectFace(s, project, f))
    if (chart) charts.push(...splitConnected(s, chart))
    for (const f of rejected) {
      const [fa, fb] = planeBasis([s.normals[3 * f]!, s.normals[3 * f + 1]!, s.normals[3 * f + 2]!])
      const single = projectFace(s, planar(cornerOf(s, f, 0), fa, fb), f)
      // a face with no area in 3D gets a point in UV (it covers no texel)
      charts.push({ faces: Int32Array.of(f), corners: signedArea(single, 0) > 0 ? single : Float64Array.of(0, 0, 0, 0, 0, 0) })
    }
  }
  return charts
}

/** A chart's faces may fall apart once rejected faces leave it: one chart per connected piece. */
const splitConnected = (s: Surface, chart: Chart): Chart[] => {
  const pieces = components(s, [...chart.faces])
  if (pieces.length === 1) return [chart]
  const position = new Map<number, number>()
  chart.faces.forEach((f, i) => position.set(f, i))
  return pieces.map((piece) => {
    const corners = new Float64Array(6 * piece.length)
    piece.forEach((f, i) => corners.set(chart.corners.subarray(6 * position.get(f)!, 6 * position.get(f)! + 6), 6 * i))
    return { faces: Int32Array.from(piece), corners }
  })
}

/** Distance of a face's centre along the frame's axis. */
const axialPosition = (s: Surface, frame: PartFrame, f: number): number => {
  let sum = 0
  for (let k = 0; k < 3; k++) {
    const p = cornerOf(s, f, k)
    sum += dot([p[0] - frame.origin[0], p[1] - frame.origin[1], p[2] - frame.origin[2]], frame.axis) / 3
  }
  return sum
}

/**
 * Charts of one body part (or chain of parts sharing an axis), given its
 * faces. The side is cut across the axis at `cuts` (distances along the axis)
 * into near-rectangular pieces that pack well.
 */
export const partCharts = (s: Surface, frame: PartFrame, cuts: ReadonlyArray<number>, faces: ReadonlyArray<number>): { charts: Chart[]; leftover: number[] } => {
  const groups: number[][] = Array.from({ length: cuts.length + 3 }, () => [])
  for (const f of faces) {
    const c = s.normals[3 * f]! * frame.axis[0] + s.normals[3 * f + 1]! * frame.axis[1] + s.normals[3 * f + 2]! * frame.axis[2]
    const along = axialPosition(s, frame, f)
    const piece = cuts.filter((cut) => along > cut).length
    groups[c > END_COSINE ? 0 : c < -END_COSINE ? 1 : 2 + piece]!.push(f)
  }
  const radius = meanRadius(s, frame, groups.slice(2).flat())
  const side = (f: number) => cylinderCorners(s, frame, radius, f)
  const e2 = cross(frame.axis, frame.front)
  const endPlus = planar(frame.origin, frame.front, e2)
  const endMinus = planar(frame.origin, e2, frame.front)
  const charts: Chart[] = []
  const leftover: number[] = []
  const projectorOf = (g: number) => (g === 0 ? (f: number) => projectFace(s, endPlus, f) : g === 1 ? (f: number) => projectFace(s, endMinus, f) : side)
  groups.forEach((group, g) => {
    for (const comp of components(s, group)) {
      const { chart, rejected } = keepPositive(comp, projectorOf(g))
      if (chart) charts.push(...splitConnected(s, chart))
      leftover.push(...rejected)
    }
  })
  return { charts, leftover }
}

const meanRadius = (s: Surface, frame: PartFrame, faces: ReadonlyArray<number>): number => {
  let sum = 0
  let count = 0
  for (const f of faces) {
    const p = cornerOf(s, f, 0)
    const d: Vec3 = [p[0] - frame.origin[0], p[1] - frame.origin[1], p[2] - frame.origin[2]]
    const along = dot(d, frame.axis)
    sum += Math.hypot(d[0] - along * frame.axis[0], d[1] - along * frame.axis[1], d[2] - along * frame.axis[2])
    count++
  }
  return count > 0 ? sum / count : 0.05
}

/** Remove `faces` from the charts (they overlapped), returning the charts left. */
export const withoutFaces = (s: Surface, charts: ReadonlyArray<Chart>, faces: ReadonlySet<number>): Chart[] =>
  charts.flatMap((chart) => {
    if (!chart.faces.some((f) => faces.has(f))) return [chart]
    const keep: number[] = []
    chart.faces.forEach((f, i) => {
      if (!faces.has(f)) keep.push(i)
    })
    if (keep.length === 0) return []
    const corners = new Float64Array(6 * keep.length)
    keep.forEach((i, n) => corners.set(chart.corners.subarray(6 * i, 6 * i + 6), 6 * n))
    return splitConnected(s, { faces: Int32Array.from(keep.map((i) => chart.faces[i]!)), corners })
  })
