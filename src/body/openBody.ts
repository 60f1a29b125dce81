/**
 * openBody(): the project's own body model, generated (no file needed, the
 * same arrays on every call, computed once per process and kept).
 *
 * Surface: the zero set of smoothly joined tapered capsules (src/body/open/
 * primitives.ts) polygonised by marching tetrahedra, relaxed onto the surface:
 * one closed genus-0 mesh. Parts: every vertex and face belongs to the joint
 * of its nearest capsule. Then skinning weights, UV atlas, joint regressor and
 * shape directions as the files in src/body/open/ describe.
 */
import type { BodyModel } from "./model.ts"
import { JOINT_COUNT, SMPL_JOINT_NAMES, SMPL_PARENTS, SMPL_REST_JOINTS } from "./model.ts"
import { layoutFrom, overlappingFaces, packCharts } from "./open/atlas.ts"
import type { Chart, PartFrame, Surface } from "./open/charts.ts"
import { fallbackCharts, partCharts, withoutFaces } from "./open/charts.ts"
import { foldedFaces } from "./open/overlap.ts"
import { faceNormals, relaxOntoSurface, vertexNeighbours } from "./open/meshTools.ts"
import { polygoniseDistance } from "./open/polygonise.ts"
import type { Vec3 } from "./open/primitives.ts"
import { bodyDistance, bodyPrimitives, nearestJoint } from "./open/primitives.ts"
import { SHAPE_COUNT, shapeDirections } from "./open/shapes.ts"
import { jointRegressor, skinningWeights } from "./open/skinning.ts"

/** Grid step of the polygonisation (metres): about 18k vertices. */
const GRID_STEP = 0.02
const RELAX_ROUNDS = 3

/**
 * Chart groups in atlas order: parts along one nearly straight axis share a
 * chart (fewer seams, fuller atlas), and groups that touch on the body follow
 * each other in the atlas.
 */
const CHART_GROUPS: ReadonlyArray<{ readonly joints: ReadonlyArray<number>; readonly from: Vec3; readonly to: Vec3; readonly cuts: ReadonlyArray<number> }> = [
  { joints: [1, 4], from: [0.085, -0.29, 0.015], to: [0.09, -1.08, -0.025], cuts: [0.41] },
  { joints: [7, 10], from: [0.09, -1.135, -0.045], to: [0.125, -1.165, 0.175], cuts: [] },
  { joints: [2, 5], from: [-0.085, -0.29, 0.015], to: [-0.09, -1.08, -0.025], cuts: [0.41] },
  { joints: [8, 11], from: [-0.09, -1.135, -0.045], to: [-0.125, -1.165, 0.175], cuts: [] },
  { joints: [0, 3, 6, 9], from: [0, -0.33, 0.01], to: [0, 0.2, 0.01], cuts: [0.28] },
  { joints: [12, 15], from: [0, 0.22, 0], to: [0, 0.55, 0.015], cuts: [] },
  { joints: [13, 16, 18, 20, 22], from: [0.04, 0.2, -0.02], to: [0.875, 0.2, -0.035], cuts: [0.39] },
  { joints: [14, 17, 19, 21, 23], from: [-0.04, 0.2, -0.02], to: [-0.875, 0.2, -0.035], cuts: [0.39] }
]

const polygonisedBody = (): { positions: Float64Array; faces: Uint32Array } => {
  const half = Math.ceil(0.95 / GRID_STEP)
  const min: Vec3 = [-half * GRID_STEP, -1.25, -0.2]
  const size: [number, number, number] = [2 * half + 1, Math.ceil(1.87 / GRID_STEP) + 1, Math.ceil(0.45 / GRID_STEP) + 1]
  const raw = polygoniseDistance({ min, step: GRID_STEP, size }, bodyDistance)
  const neighbours = vertexNeighbours(raw.positions.length / 3, raw.faces)
  return { positions: relaxOntoSurface(raw.positions, neighbours, bodyDistance, RELAX_ROUNDS), faces: raw.faces }
}

const orthogonal = (hint: Vec3, axis: Vec3): Vec3 => {
  const d = hint[0] * axis[0] + hint[1] * axis[1] + hint[2] * axis[2]
  const v: Vec3 = [hint[0] - d * axis[0], hint[1] - d * axis[1], hint[2] - d * axis[2]]
  const len = Math.hypot(v[0], v[1], v[2])
  return [v[0] / len, v[1] / len, v[2] / len]
}

/** A frame on the axis from -> to; the seam faces away from `front` (the back, under the arms, the soles). */
const axisFrame = (from: Vec3, to: Vec3): PartFrame => {
  const d: Vec3 = [to[0] - from[0], to[1] - from[1], to[2] - from[2]]
  const len = Math.hypot(d[0], d[1], d[2])
  const axis: Vec3 = [d[0] / len, d[1] / len, d[2] / len]
  const hint: Vec3 = Math.abs(axis[1]) > 0.7 ? [0, 0, 1] : [0, 1, 0]
  return { origin: from, axis, front: orthogonal(hint, axis) }
}

/** Each joint's frame: the axis of its first capsule, through the rest joint. */
const partFrames = (): PartFrame[] =>
  Array.from({ length: JOINT_COUNT }, (_, j) => {
    const p = bodyPrimitives.find((q) => q.joint === j && q.role !== "shape")!
    const frame = axisFrame(p.a, p.b)
    return { ...frame, origin: SMPL_REST_JOINTS[j]! }
  })

const faceJoints = (positions: Float64Array, faces: Uint32Array): Int32Array => {
  const out = new Int32Array(faces.length / 3)
  for (let f = 0; f < out.length; f++) {
    const c = [0, 1, 2].map((k) => (positions[3 * faces[3 * f]! + k]! + positions[3 * faces[3 * f + 1]! + k]! + positions[3 * faces[3 * f + 2]! + k]!) / 3)
    out[f] = nearestJoint(c[0]!, c[1]!, c[2]!)
  }
  return out
}

/** Texel sizes at which the packed atlas is checked for overlaps (a safety net: charts are fold-free by then). */
const CHECK_SIZES = [128, 512]

const atlas = (surface: Surface) => {
  let charts: Chart[] = []
  for (const group of CHART_GROUPS) {
    const faces: number[] = []
    surface.faceJoint.forEach((fj, f) => {
      if (group.joints.includes(fj)) faces.push(f)
    })
    const { charts: own, leftover } = partCharts(surface, axisFrame(group.from, group.to), group.cuts, faces)
    charts.push(...own, ...fallbackCharts(surface, leftover))
  }
  // charts that pass the fold check keep passing; only the charts made from folded faces are checked again
  let unchecked = charts
  charts = []
  for (let round = 0; unchecked.length > 0; round++) {
    const folded = unchecked.flatMap((chart) => foldedFaces(chart, surface.faces))
    if (folded.length === 0 || round === 4) break
    charts.push(...withoutFaces(surface, unchecked, new Set(folded)))
    unchecked = fallbackCharts(surface, folded)
  }
  charts.push(...unchecked)
  for (let round = 0; ; round++) {
    const layout = layoutFrom(charts, packCharts(charts, 0.5, 128), surface.faces, surface.faces.length / 3)
    const overlaps = overlappingFaces(layout, CHECK_SIZES)
    if (overlaps.size === 0 || round === 4) return layout
    charts = [...withoutFaces(surface, charts, overlaps), ...fallbackCharts(surface, [...overlaps])]
  }
}

/** Generate the open body afresh (openBody() keeps the first result). */
export const generateOpenBody = (): BodyModel => {
  const { positions, faces } = polygonisedBody()
  const V = positions.length / 3
  const neighbours = vertexNeighbours(V, faces)
  const vertexJoint = new Int32Array(V)
  for (let v = 0; v < V; v++) vertexJoint[v] = nearestJoint(positions[3 * v]!, positions[3 * v + 1]!, positions[3 * v + 2]!)
  const weights = skinningWeights(vertexJoint, neighbours)
  const frames = partFrames()
  const surface: Surface = { positions, faces, normals: faceNormals(positions, faces), faceJoint: faceJoints(positions, faces) }
  const uv = atlas(surface)
  return {
    vertexCount: V,
    shapeCount: SHAPE_COUNT,
    vTemplate: positions,
    faces,
    uv,
    weights,
    shapeDirs: shapeDirections(positions, weights, frames),
    poseDirs: undefined,
    jRegressor: jointRegressor(positions, SMPL_REST_JOINTS),
    parents: Int32Array.from(SMPL_PARENTS),
    jointNames: SMPL_JOINT_NAMES
  }
}

/** A pure computation evaluated on first use and then shared: the value never changes, so sharing it hides no state. */
const once = <T>(compute: () => T): (() => T) => {
  const memo: { value?: T } = {}
  return () => ("value" in memo ? (memo.value as T) : (memo.value = compute()))
}

/** The open body (generated on first call, about a second; then the same frozen-in-practice object). */
export const openBody: () => BodyModel = once(generateOpenBody)
