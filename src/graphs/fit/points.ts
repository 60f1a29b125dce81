/**
 * The part of the body the fit poses: a small stand-in body whose "vertices" are, in order,
 * the 24 rest joints (one-hot skinning, so each follows its joint exactly), one point per landmark
 * (a joint, or a surface vertex picked by landmarks.ts's rule), and every `stride`-th vertex of the
 * surface for the silhouette. Its arrays feed bodyForward unchanged: joint regressor one-hot on the
 * first 24 rows, shape directions of the joints regressed from the body's (J . shapeDirs), so the fit
 * costs M = 24 + K + V / stride points rather than V.
 */
import type { BodyModel } from "../../body/model.ts"
import type { BodyPoint, LandmarkRule, Vec3 } from "./landmarks.ts"

export interface FitBody {
  /** M = 24 + K + S points. */
  readonly count: number
  readonly landmarkCount: number
  /** [M, 3] */
  readonly vTemplate: Float32Array
  /** [M, 3, 10] */
  readonly shapeDirs: Float32Array
  /** [24, M] one-hot on the first 24 points. */
  readonly jRegressor: Float32Array
  /** [M, 24] */
  readonly weights: Float32Array
  /** For landmark k, its row (24 + k). */
  readonly landmarkRows: ReadonlyArray<number>
  /** The surface vertex (or -1 for a joint) behind each landmark. */
  readonly landmarkVertices: ReadonlyArray<number>
  /** [24, 3] rest joints with zero shape. */
  readonly restJoints: Float64Array
}

const SHAPES = 10

const restJointsOf = (body: BodyModel): Float64Array => {
  const V = body.vertexCount
  const out = new Float64Array(24 * 3)
  for (let j = 0; j < 24; j++) for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) out[3 * j + c]! += body.jRegressor[j * V + v]! * body.vTemplate[3 * v + c]!
  return out
}

const strongestJoint = (body: BodyModel, v: number): number => {
  let best = 0
  for (let j = 1; j < 24; j++) if (body.weights[v * 24 + j]! > body.weights[v * 24 + best]!) best = j
  return best
}

/** The vertex a Surface rule picks. */
export const surfaceVertex = (body: BodyModel, rule: Extract<BodyPoint, { _tag: "Surface" }>, joints: Float64Array): number => {
  let best = -1
  let bestScore = -Infinity
  const centre: Vec3 | undefined = rule.near && rule.from !== undefined ? [joints[3 * rule.from]! + rule.near[0], joints[3 * rule.from + 1]! + rule.near[1], joints[3 * rule.from + 2]! + rule.near[2]] : undefined
  for (let v = 0; v < body.vertexCount; v++) {
    if (!rule.joints.includes(strongestJoint(body, v))) continue
    const p = [body.vTemplate[3 * v]!, body.vTemplate[3 * v + 1]!, body.vTemplate[3 * v + 2]!]
    if (centre && (rule.bandAxes ?? [0, 1, 2]).some((a) => Math.abs(p[a]! - centre[a]!) > (rule.band ?? 0.01))) continue
    const score = p[0]! * rule.direction[0] + p[1]! * rule.direction[1] + p[2]! * rule.direction[2]
    if (score > bestScore) {
      bestScore = score
      best = v
    }
  }
  if (best < 0) throw new Error(`no vertex of the body fits the landmark rule ${JSON.stringify(rule)}`)
  return best
}

export const fitBody = (body: BodyModel, rules: ReadonlyArray<LandmarkRule>, stride: number): FitBody => {
  const V = body.vertexCount
  const K = Math.min(body.shapeCount, SHAPES)
  const joints = restJointsOf(body)
  const landmarkVertices = rules.map((r) => (r.point._tag === "Joint" ? -1 : surfaceVertex(body, r.point, joints)))
  const silhouette = Array.from({ length: Math.floor(V / stride) }, (_, i) => i * stride)
  const M = 24 + rules.length + silhouette.length
  const vTemplate = new Float32Array(M * 3)
  const shapeDirs = new Float32Array(M * 3 * SHAPES)
  const weights = new Float32Array(M * 24)
  const jRegressor = new Float32Array(24 * M)
  const copyVertex = (row: number, v: number) => {
    for (let c = 0; c < 3; c++) {
      vTemplate[3 * row + c] = body.vTemplate[3 * v + c]!
      for (let k = 0; k < K; k++) shapeDirs[(3 * row + c) * SHAPES + k] = body.shapeDirs[(3 * v + c) * body.shapeCount + k]!
    }
    for (let j = 0; j < 24; j++) weights[row * 24 + j] = body.weights[v * 24 + j]!
  }
  for (let j = 0; j < 24; j++) {
    jRegressor[j * M + j] = 1
    weights[j * 24 + j] = 1
    for (let c = 0; c < 3; c++) {
      vTemplate[3 * j + c] = joints[3 * j + c]!
      for (let v = 0; v < V; v++) {
        const r = body.jRegressor[j * V + v]!
        if (r === 0) continue
        for (let k = 0; k < K; k++) shapeDirs[(3 * j + c) * SHAPES + k]! += r * body.shapeDirs[(3 * v + c) * body.shapeCount + k]!
      }
    }
  }
  rules.forEach((rule, k) => {
    const row = 24 + k
    if (rule.point._tag === "Joint") {
      const j = rule.point.joint
      vTemplate.set(vTemplate.subarray(3 * j, 3 * j + 3), 3 * row)
      shapeDirs.set(shapeDirs.subarray(3 * j * SHAPES, 3 * (j + 1) * SHAPES), 3 * row * SHAPES)
      weights[row * 24 + j] = 1
    } else copyVertex(row, landmarkVertices[k]!)
  })
  silhouette.forEach((v, i) => copyVertex(24 + rules.length + i, v))
  return { count: M, landmarkCount: rules.length, vTemplate, shapeDirs, jRegressor, weights, landmarkRows: rules.map((_, k) => 24 + k), landmarkVertices, restJoints: joints }
}

/** The fit body without its silhouette points (the 24 joints and the landmarks' points): enough wherever the silhouette is not compared. */
export const landmarksOnly = (points: FitBody): FitBody => {
  const M = 24 + points.landmarkCount
  const jRegressor = new Float32Array(24 * M)
  for (let j = 0; j < 24; j++) jRegressor.set(points.jRegressor.subarray(j * points.count, j * points.count + M), j * M)
  return {
    ...points,
    count: M,
    vTemplate: points.vTemplate.slice(0, 3 * M),
    shapeDirs: points.shapeDirs.slice(0, 3 * M * SHAPES),
    weights: points.weights.slice(0, 24 * M),
    jRegressor
  }
}
