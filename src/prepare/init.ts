/**
 * SMPLify's first step, in closed form per frame: the global orientation and translation from the
 * torso landmarks (shoulders, hips). The camera sits at the origin looking along +z (x right, y
 * down); the body's rest frame has y up and faces +z, so an upright person facing the camera is
 * turned by pi about x. Per frame:
 * - depth: z = f * (rest torso length) / (torso length in pixels), mid-shoulders to mid-hips;
 * - roll: the image angle of the hips-to-shoulders line;
 * - turn about the body's vertical axis: the one (5-degree steps) whose projected shoulders, hips and
 *   face points (nose, eyes, ears, mouth: they tell a turn to the left from one to the right, which
 *   the torso alone cannot) best match the landmarks, on the half-turn the face decides: towards the
 *   camera when the nose and eyes are seen (mean score >= 0.5), away from it otherwise;
 * - translation: the mid-hip point on the ray of the mid-hip pixel at that depth.
 * A frame whose torso is not seen (score < 0.3) takes its neighbour's values.
 */
import { mul33 } from "../math/matrix.ts"
import { axisAngleToMatrix, matrixToAxisAngle } from "../math/rotation.ts"
import { FACE, TORSO } from "../graphs/fit/landmarks.ts"

export interface Pinhole {
  readonly fx: number
  readonly fy: number
  readonly cx: number
  readonly cy: number
}

export interface Start {
  /** [72] axis-angle, global orientation first; the body at rest. */
  readonly pose: Float64Array
  /** [3] */
  readonly transl: Float64Array
  /** Whether the torso was seen (otherwise copied from a neighbour). */
  readonly seen: boolean
}

type V3 = readonly [number, number, number]

const joint = (rest: Float64Array, j: number): V3 => [rest[3 * j]!, rest[3 * j + 1]!, rest[3 * j + 2]!]
const mid = (a: V3, b: V3): V3 => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2]
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const apply = (r: ArrayLike<number>, v: V3): V3 => [r[0]! * v[0] + r[1]! * v[1] + r[2]! * v[2], r[3]! * v[0] + r[4]! * v[1] + r[5]! * v[2], r[6]! * v[0] + r[7]! * v[1] + r[8]! * v[2]]

const TORSO_JOINTS = [16, 17, 1, 2] as const // left/right shoulder, left/right hip: the landmarks' body points
const TORSO_LANDMARKS = [TORSO.leftShoulder, TORSO.rightShoulder, TORSO.leftHip, TORSO.rightHip] as const
const MIN_TORSO_SCORE = 0.3
const FACE_SEEN = 0.5

/** Rotation of body rest coordinates into the camera: roll in the image, upright, turned by `turn` about the body's vertical. */
const orientation = (roll: number, turn: number): Float64Array => mul33(axisAngleToMatrix([0, 0, roll]), mul33(axisAngleToMatrix([Math.PI, 0, 0]), axisAngleToMatrix([0, turn, 0])))

const point2 = (lm: Float32Array, k: number): readonly [number, number, number] => [lm[3 * k]!, lm[3 * k + 1]!, lm[3 * k + 2]!]

/** The start of one frame, or undefined when its torso is not seen. */
/** Rest positions the start compares with landmarks: the 24 joints, and the face landmarks' body points. */
export interface RestPoints {
  /** [24 * 3] */
  readonly joints: Float64Array
  /** Landmark index and its rest point. */
  readonly face: ReadonlyArray<readonly [number, V3]>
}

export const startOf = (landmarks: Float32Array, restPoints: RestPoints, camera: Pinhole): Omit<Start, "seen"> | undefined => {
  const rest = restPoints.joints
  const seen = TORSO_LANDMARKS.map((k) => point2(landmarks, k))
  if (seen.some((p) => p[2] < MIN_TORSO_SCORE)) return undefined
  const [ls, rs, lh, rh] = seen as [V3, V3, V3, V3]
  const shoulders2 = [(ls[0] + rs[0]) / 2, (ls[1] + rs[1]) / 2], hips2 = [(lh[0] + rh[0]) / 2, (lh[1] + rh[1]) / 2]
  const torsoPixels = Math.hypot(shoulders2[0]! - hips2[0]!, shoulders2[1]! - hips2[1]!)
  const restJoints = TORSO_JOINTS.map((j) => joint(rest, j)) as [V3, V3, V3, V3]
  const restShoulders = mid(restJoints[0], restJoints[1]), restHips = mid(restJoints[2], restJoints[3])
  const torsoMetres = Math.hypot(...sub(restShoulders, restHips))
  const focal = (camera.fx + camera.fy) / 2
  const depth = (focal * torsoMetres) / Math.max(torsoPixels, 1e-3)
  // Image angle of the torso's up direction, measured from straight up (y down in the image).
  const roll = Math.atan2(shoulders2[0]! - hips2[0]!, -(shoulders2[1]! - hips2[1]!))
  const faceSeen = FACE.reduce<number>((s, k) => s + landmarks[3 * k + 2]!, 0) / FACE.length >= FACE_SEEN
  const root = joint(rest, 0)
  const hipRay: V3 = [((hips2[0]! - camera.cx) / camera.fx) * depth, ((hips2[1]! - camera.cy) / camera.fy) * depth, depth]
  let best: { error: number; r: Float64Array; t: V3 } | undefined
  for (let step = -36; step < 36; step++) {
    const turn = (step * Math.PI) / 36
    if (faceSeen !== Math.abs(turn) <= Math.PI / 2) continue
    const r = orientation(roll, turn)
    const t = sub(sub(hipRay, apply(r, sub(restHips, root))), root)
    let error = 0
    const compare = (p: V3, target: V3) => {
      const c = apply(r, sub(p, root))
      const x = c[0] + root[0] + t[0], y = c[1] + root[1] + t[1], z = c[2] + root[2] + t[2]
      error += target[2] * ((camera.fx * x) / z + camera.cx - target[0]) ** 2 + target[2] * ((camera.fy * y) / z + camera.cy - target[1]) ** 2
    }
    restJoints.forEach((p, i) => compare(p, seen[i]!))
    for (const [k, p] of restPoints.face) compare(p, point2(landmarks, k))
    if (!best || error < best.error) best = { error, r, t }
  }
  if (!best) return undefined
  const pose = new Float64Array(72)
  pose.set(matrixToAxisAngle(best.r), 0)
  return { pose, transl: Float64Array.from(best.t) }
}

/** Every frame's start; frames without a seen torso copy the nearest seen frame (none seen: undefined). */
export const startsOf = (landmarks: ReadonlyArray<Float32Array>, rest: RestPoints, camera: Pinhole): ReadonlyArray<Start> | undefined => {
  const own = landmarks.map((lm) => startOf(lm, rest, camera))
  const seenAt = own.flatMap((s, i) => (s ? [i] : []))
  if (seenAt.length === 0) return undefined
  return own.map((s, i) => {
    if (s) return { ...s, seen: true }
    const nearest = seenAt.reduce((b, j) => (Math.abs(j - i) < Math.abs(b - i) ? j : b), seenAt[0]!)
    const from = own[nearest]!
    return { pose: Float64Array.from(from.pose), transl: Float64Array.from(from.transl), seen: false }
  })
}

/** The rest points of a fit body (graphs/fit/points.ts): its joints and its face landmarks' points. */
export const restPointsOf = (body: { readonly restJoints: Float64Array; readonly vTemplate: Float32Array; readonly landmarkRows: ReadonlyArray<number> }, face: ReadonlyArray<number>): RestPoints => ({
  joints: body.restJoints,
  face: face.map((k) => {
    const row = body.landmarkRows[k]!
    return [k, [body.vTemplate[3 * row]!, body.vTemplate[3 * row + 1]!, body.vTemplate[3 * row + 2]!]] as const
  })
})
