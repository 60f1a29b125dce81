/**
 * A BVH capture retargeted onto the SMPL joint tree.
 * - Joint map: each SMPL joint j takes the world rotation of one BVH joint and, when j has a child
 *   k in the map, the BVH bone (a, b) that plays the bone j -> k (CMU names, and the Mixamo names
 *   with any "prefix:" stripped).
 * - Rest poses reconciled: in the BVH's rest pose (every channel 0) its bones point along their
 *   offsets; the SMPL rest bone e_j is turned onto the BVH rest bone d_j by the smallest rotation
 *   C_j, and the posed SMPL world rotation is W_j = S_j G_b C_j, with G_b the world rotation of
 *   b's parent (the joint whose rotation carries b) and S_j the smallest rotation that lays the bone
 *   exactly along the posed BVH bone (non-zero only when the BVH bone spans several of its joints).
 *   Joints without a mapped child (root, head, feet, hands) take W_j = G unchanged: both skeletons
 *   face +z with y up and left at +x in their rest poses.
 * - Local rotations L_j = W_parent^T W_j, as axis-angle.
 * - Lengths scaled by the leg: translation = s x (BVH root position) - pelvis rest position, with
 *   s = (SMPL hip-knee-ankle length) / (BVH hip-knee-ankle length), so a capture in any unit moves
 *   the avatar by its own strides. The result lives in a y-up world of its own (place.ts moves it).
 */
import { DatasetError } from "../data/errors.ts"
import { mul33, mulVec33, transpose33 } from "../math/matrix.ts"
import { matrixToAxisAngle } from "../math/rotation.ts"
import type { Bvh } from "./bvh.ts"
import { bvhPose } from "./bvh.ts"
import type { Motion, Skeleton } from "./motion.ts"
import { SMPL_POSE_SIZE } from "./motion.ts"

/** For SMPL joint j: [BVH joint whose rotation it takes, BVH joint at the tip of its bone (or none)], alternatives in order. */
type MapEntry = ReadonlyArray<readonly [string, string | undefined]>

/** SMPL joint -> BVH joints; the SMPL child whose bone is matched (undefined: none). */
export const JOINT_MAP: ReadonlyArray<{ readonly entry: MapEntry; readonly child: number | undefined }> = [
  { entry: [["Hips", undefined]], child: undefined },
  { entry: [["LeftUpLeg", "LeftLeg"]], child: 4 },
  { entry: [["RightUpLeg", "RightLeg"]], child: 5 },
  { entry: [["LowerBack", "Spine"], ["Spine", "Spine1"]], child: 6 },
  { entry: [["LeftLeg", "LeftFoot"]], child: 7 },
  { entry: [["RightLeg", "RightFoot"]], child: 8 },
  { entry: [["Spine", "Spine1"], ["Spine1", "Spine2"]], child: 9 },
  { entry: [["LeftFoot", "LeftToeBase"]], child: 10 },
  { entry: [["RightFoot", "RightToeBase"]], child: 11 },
  { entry: [["Spine1", "Neck1"], ["Spine2", "Neck"]], child: 12 },
  { entry: [["LeftToeBase", undefined]], child: undefined },
  { entry: [["RightToeBase", undefined]], child: undefined },
  { entry: [["Neck1", "Head"], ["Neck", "Head"]], child: 15 },
  { entry: [["LeftShoulder", "LeftArm"]], child: 16 },
  { entry: [["RightShoulder", "RightArm"]], child: 17 },
  { entry: [["Head", undefined]], child: undefined },
  { entry: [["LeftArm", "LeftForeArm"]], child: 18 },
  { entry: [["RightArm", "RightForeArm"]], child: 19 },
  { entry: [["LeftForeArm", "LeftHand"]], child: 20 },
  { entry: [["RightForeArm", "RightHand"]], child: 21 },
  { entry: [["LeftHand", "LFingers"], ["LeftHand", "LeftHandMiddle1"], ["LeftHand", undefined]], child: 22 },
  { entry: [["RightHand", "RFingers"], ["RightHand", "RightHandMiddle1"], ["RightHand", undefined]], child: 23 },
  { entry: [["LFingers", undefined], ["LeftHandMiddle1", undefined], ["LeftHand", undefined]], child: undefined },
  { entry: [["RFingers", undefined], ["RightHandMiddle1", undefined], ["RightHand", undefined]], child: undefined }
]

/** The BVH joints each SMPL joint uses: its rotation source and, with a matched bone, the bone's two ends. */
export interface ResolvedJoint {
  readonly rotation: number
  readonly bone: readonly [number, number] | undefined
  readonly child: number | undefined
}

const stripPrefix = (name: string) => name.slice(name.lastIndexOf(":") + 1)

/** The map resolved against this file's joint names; an error names the first SMPL joint without any. */
export const resolveJointMap = (bvh: Bvh, file: string): ReadonlyArray<ResolvedJoint> => {
  const index = new Map(bvh.joints.map((j, k) => [stripPrefix(j.name), k]))
  return JOINT_MAP.map(({ entry, child }, smpl) => {
    for (const [from, to] of entry) {
      const a = index.get(from)
      const b = to === undefined ? undefined : index.get(to)
      if (a === undefined || (to !== undefined && b === undefined)) continue
      if (b === undefined) return { rotation: a, bone: undefined, child: undefined }
      const parentOfB = bvh.joints[b]?.parent as number
      return { rotation: parentOfB, bone: [a, b] as const, child }
    }
    const names = entry.map(([from, to]) => (to ? `${from} -> ${to}` : from)).join(" or ")
    throw new DatasetError({ file, reason: `BVH skeleton has no joints for SMPL joint ${smpl} (looked for ${names}; it has ${bvh.joints.map((j) => j.name).join(", ")})` })
  })
}

const sub = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, k: number): [number, number, number] => [
  (a[3 * i] as number) - (b[3 * k] as number),
  (a[3 * i + 1] as number) - (b[3 * k + 1] as number),
  (a[3 * i + 2] as number) - (b[3 * k + 2] as number)
]

/** The smallest rotation taking the direction of u onto that of v (row-major 3x3). */
export const rotationBetween = (u: ArrayLike<number>, v: ArrayLike<number>): Float64Array => {
  const nu = Math.hypot(u[0] as number, u[1] as number, u[2] as number)
  const nv = Math.hypot(v[0] as number, v[1] as number, v[2] as number)
  const [a0, a1, a2] = [(u[0] as number) / nu, (u[1] as number) / nu, (u[2] as number) / nu]
  const [b0, b1, b2] = [(v[0] as number) / nv, (v[1] as number) / nv, (v[2] as number) / nv]
  const c = a0 * b0 + a1 * b1 + a2 * b2
  let [x, y, z] = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0]
  if (c < -1 + 1e-12) {
    // Opposite: a half turn about any axis perpendicular to u.
    const p = Math.abs(a0) < 0.9 ? [0, a2, -a1] : [-a2, 0, a0]
    const n = Math.hypot(p[0] as number, p[1] as number, p[2] as number)
    ;[x, y, z] = [(p[0] as number) / n, (p[1] as number) / n, (p[2] as number) / n]
    return Float64Array.of(2 * x * x - 1, 2 * x * y, 2 * x * z, 2 * x * y, 2 * y * y - 1, 2 * y * z, 2 * x * z, 2 * y * z, 2 * z * z - 1)
  }
  const k = 1 / (1 + c)
  return Float64Array.of(c + k * x * x, k * x * y - z, k * x * z + y, k * x * y + z, c + k * y * y, k * y * z - x, k * x * z - y, k * y * z + x, c + k * z * z)
}

const legLength = (positions: ArrayLike<number>, hip: number, knee: number, ankle: number): number =>
  Math.hypot(...sub(positions, knee, positions, hip)) + Math.hypot(...sub(positions, ankle, positions, knee))

/** 1 / frame time, snapped to a whole rate when the file's rounded frame time (".0083333") is that close to one. */
const frameRate = (frameTime: number): number => {
  const rate = 1 / frameTime
  return Math.abs(rate - Math.round(rate)) < 1e-2 ? Math.round(rate) : rate
}

/** The BVH motion on the SMPL tree of `skeleton`, one pose per BVH frame, in the BVH's own y-up world. */
export const retargetBvh = (bvh: Bvh, skeleton: Skeleton, file: string): Motion => {
  const map = resolveJointMap(bvh, file)
  if (skeleton.parents.length !== map.length) throw new DatasetError({ file, reason: `the avatar's skeleton has ${skeleton.parents.length} joints; BVH retargeting maps onto SMPL's ${map.length}` })
  const rest = bvhPose({ ...bvh, values: new Float64Array(bvh.channelCount), frames: 1 }, 0).positions
  const corrections = map.map((m, j) => (m.bone && m.child !== undefined ? rotationBetween(sub(skeleton.restJoints, m.child, skeleton.restJoints, j), sub(rest, m.bone[1], rest, m.bone[0])) : undefined))
  const [leftHip, leftKnee, leftAnkle] = [map[1], map[4], map[7]].map((m) => m?.bone?.[0] as number) as [number, number, number]
  const scale = legLength(skeleton.restJoints, 1, 4, 7) / legLength(rest, leftHip, leftKnee, leftAnkle)
  const root = map[0]?.rotation as number
  const poses = new Float64Array(bvh.frames * SMPL_POSE_SIZE)
  const transl = new Float64Array(bvh.frames * 3)
  for (let f = 0; f < bvh.frames; f++) {
    const { rotations, positions } = bvhPose(bvh, f)
    const world: Float64Array[] = []
    map.forEach((m, j) => {
      const g = rotations.subarray(9 * m.rotation, 9 * m.rotation + 9)
      const c = corrections[j]
      let w = c ? mul33(g, c) : Float64Array.from(g)
      if (m.bone && m.child !== undefined) w = mul33(rotationBetween(mulVec33(w, sub(skeleton.restJoints, m.child, skeleton.restJoints, j)), sub(positions, m.bone[1], positions, m.bone[0])), w)
      world.push(w)
      const parent = skeleton.parents[j] as number
      poses.set(matrixToAxisAngle(parent < 0 ? w : mul33(transpose33(world[parent] as Float64Array), w)), f * SMPL_POSE_SIZE + 3 * j)
    })
    for (let c = 0; c < 3; c++) transl[3 * f + c] = scale * (positions[3 * root + c] as number) - (skeleton.restJoints[c] as number)
  }
  return { file, frames: bvh.frames, fps: frameRate(bvh.frameTime), poses, transl, world: { _tag: "YUp" } }
}
