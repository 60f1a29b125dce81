/**
 * SMPLify's first step, in closed form per frame: the global orientation and translation from the
 * torso landmarks (shoulders, hips). The camera sits at the origin looking along +z (x right, y
 * down); the body's rest frame has y up and faces +z, so an upright person facing the camera is
 * turned by pi about x. Per frame:
 * - depth: z = f * (rest torso length) / (torso length in pixels), mid-shoulders to mid-hips;
 * - roll: the image angle of the hips-to-shoulders line;
 * - turn about the body's vertical axis: every turn in 5-degree steps is scored by how well its
 *   projected shoulders, hips and face points (nose, eyes, ears, mouth: they tell a turn to the left
 *   from one to the right, which the torso alone cannot) match the landmarks, plus a small vote of
 *   the face's scores for the half of the turn (towards the camera when the face is seen); the turns
 *   of all frames are then chosen together, as the cheapest path through the clip with a cost on
 *   turning between frames (turnPath): detectors see faces on the backs of heads, and a back view
 *   matches a front view of the mirrored body, so a frame on its own may pick the wrong half;
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

/** The image midpoints of the shoulders and of the hips, and the distance between them (px), from landmarks [33 * 3] (x, y, score). */
export const torsoInImage = (lm: Float32Array) => {
  const [ls, rs, lh, rh] = TORSO_LANDMARKS.map((k) => point2(lm, k)) as [V3, V3, V3, V3]
  const shoulders = [(ls[0] + rs[0]) / 2, (ls[1] + rs[1]) / 2] as const
  const hips = [(lh[0] + rh[0]) / 2, (lh[1] + rh[1]) / 2] as const
  return { shoulders, hips, length: Math.hypot(shoulders[0] - hips[0], shoulders[1] - hips[1]) }
}

/** Rest positions the start compares with landmarks: the 24 joints, and the face landmarks' body points. */
export interface RestPoints {
  /** [24 * 3] */
  readonly joints: Float64Array
  /** Landmark index and its rest point. */
  readonly face: ReadonlyArray<readonly [number, V3]>
}

/** One turn about the body's vertical: its rotation and translation, and its cost (relative reprojection error, plus the face's vote). */
interface Candidate {
  readonly turn: number
  readonly r: Float64Array
  readonly t: V3
  readonly cost: number
}

const TURNS = 72
/** Cost of choosing the half of the turn (towards the camera or away) that the face landmarks vote against, at full confidence. */
const FACE_VOTE = 0.002
/** Turning between consecutive frames up to this (radians per frame) is free; beyond it each squared radian costs TURN_SMOOTHNESS. */
const TURN_FREE = (15 * Math.PI) / 180
const TURN_SMOOTHNESS = 1

/**
 * Every turn of one frame (5-degree steps) with its cost, or undefined when its torso is not seen.
 * The cost is the score-weighted squared reprojection error of the shoulders, hips and face points
 * divided by the squared torso length in pixels and the summed weights (so frames of any size
 * compare), plus FACE_VOTE x (how far the face's mean score is from 0.5, doubled) when the turn is on
 * the half the face votes against (towards the camera when the face is unseen, away when seen).
 */
export const turnsOf = (landmarks: Float32Array, restPoints: RestPoints, camera: Pinhole): ReadonlyArray<Candidate> | undefined => {
  const rest = restPoints.joints
  const seen = TORSO_LANDMARKS.map((k) => point2(landmarks, k))
  if (seen.some((p) => p[2] < MIN_TORSO_SCORE)) return undefined
  const { shoulders: shoulders2, hips: hips2, length } = torsoInImage(landmarks)
  const torsoPixels = Math.max(length, 1e-3)
  const restJoints = TORSO_JOINTS.map((j) => joint(rest, j)) as [V3, V3, V3, V3]
  const restShoulders = mid(restJoints[0], restJoints[1]), restHips = mid(restJoints[2], restJoints[3])
  const torsoMetres = Math.hypot(...sub(restShoulders, restHips))
  const focal = (camera.fx + camera.fy) / 2
  const depth = (focal * torsoMetres) / torsoPixels
  // Image angle of the torso's up direction, measured from straight up (y down in the image).
  const roll = Math.atan2(shoulders2[0]! - hips2[0]!, -(shoulders2[1]! - hips2[1]!))
  const faceScore = FACE.reduce<number>((s, k) => s + landmarks[3 * k + 2]!, 0) / FACE.length
  const faceSeen = faceScore >= FACE_SEEN
  const faceConfidence = Math.min(1, 2 * Math.abs(faceScore - FACE_SEEN))
  const root = joint(rest, 0)
  const hipRay: V3 = [((hips2[0]! - camera.cx) / camera.fx) * depth, ((hips2[1]! - camera.cy) / camera.fy) * depth, depth]
  const compared: Array<readonly [V3, V3]> = [...restJoints.map((p, i) => [p, seen[i]!] as const), ...restPoints.face.map(([k, p]) => [p, point2(landmarks, k)] as const)]
  const weights = compared.reduce((s, [, target]) => s + target[2], 0)
  return Array.from({ length: TURNS }, (_, step) => {
    const turn = ((step - TURNS / 2) * 2 * Math.PI) / TURNS
    const r = orientation(roll, turn)
    const t = sub(sub(hipRay, apply(r, sub(restHips, root))), root)
    let error = 0
    for (const [p, target] of compared) {
      const c = apply(r, sub(p, root))
      const x = c[0] + root[0] + t[0], y = c[1] + root[1] + t[1], z = c[2] + root[2] + t[2]
      error += target[2] * (((camera.fx * x) / z + camera.cx - target[0]) ** 2 + ((camera.fy * y) / z + camera.cy - target[1]) ** 2)
    }
    const against = faceSeen !== Math.abs(turn) <= Math.PI / 2
    return { turn, r, t, cost: error / (torsoPixels * torsoPixels * Math.max(weights, 1e-6)) + (against ? FACE_VOTE * faceConfidence : 0) }
  })
}

const startFrom = (c: Candidate): Omit<Start, "seen"> => {
  const pose = new Float64Array(72)
  pose.set(matrixToAxisAngle(c.r), 0)
  return { pose, transl: Float64Array.from(c.t) }
}

/** The start of one frame on its own (its cheapest turn), or undefined when its torso is not seen. */
export const startOf = (landmarks: Float32Array, restPoints: RestPoints, camera: Pinhole): Omit<Start, "seen"> | undefined => {
  const turns = turnsOf(landmarks, restPoints, camera)
  return turns && startFrom(turns.reduce((b, c) => (c.cost < b.cost ? c : b)))
}

/** The turn difference wrapped into [-pi, pi]. */
const wrapped = (a: number): number => a - 2 * Math.PI * Math.round(a / (2 * Math.PI))

/**
 * The cheapest path of turns through the frames whose torso is seen (Viterbi): each frame's cost
 * plus TURN_SMOOTHNESS x (turn change beyond TURN_FREE x the frames between them)^2 between
 * consecutive seen frames of one run (a person turns freely, but not by half a turn in a frame). One frame's face seen on a back view, or a turn's two mirror images that the torso cannot
 * tell apart, then follow the frames around them instead of flipping.
 */
const turnPath = (turns: ReadonlyArray<ReadonlyArray<Candidate> | undefined>, runs: ReadonlyArray<number>): ReadonlyArray<number | undefined> => {
  const seenAt = turns.flatMap((c, i) => (c ? [i] : []))
  const total: Float64Array[] = []
  const from: Int32Array[] = []
  seenAt.forEach((i, n) => {
    const here = turns[i]!
    const previous = n > 0 && runs[seenAt[n - 1]!] === runs[i] ? seenAt[n - 1]! : undefined
    const costs = Float64Array.from(here, (c) => c.cost)
    const back = new Int32Array(here.length).fill(-1)
    if (previous !== undefined) {
      const before = total[n - 1]!, gap = i - previous
      here.forEach((c, a) => {
        let best = Infinity
        turns[previous]!.forEach((p, b) => {
          const value = before[b]! + TURN_SMOOTHNESS * Math.max(0, Math.abs(wrapped(c.turn - p.turn)) - TURN_FREE * gap) ** 2
          if (value < best) [best, back[a]] = [value, b]
        })
        costs[a]! += best
      })
    }
    total.push(costs)
    from.push(back)
  })
  const chosen: Array<number | undefined> = turns.map(() => undefined)
  let at = -1
  for (let n = seenAt.length - 1; n >= 0; n--) {
    if (at < 0) at = total[n]!.reduce((b, v, a) => (v < total[n]![b]! ? a : b), 0)
    chosen[seenAt[n]!] = at
    at = from[n]![at]!
  }
  return chosen
}

/**
 * Every frame's start, its turn chosen along the clip (turnPath; `runs` as the fit's: no
 * smoothness across a run's change, default one run); frames without a seen torso copy the
 * nearest seen frame (none seen: undefined).
 */
export const startsOf = (landmarks: ReadonlyArray<Float32Array>, rest: RestPoints, camera: Pinhole, runs: ReadonlyArray<number> = landmarks.map(() => 0)): ReadonlyArray<Start> | undefined => {
  const turns = landmarks.map((lm) => turnsOf(lm, rest, camera))
  const path = turnPath(turns, runs)
  const own = turns.map((c, i) => (c ? startFrom(c[path[i]!]!) : undefined))
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
