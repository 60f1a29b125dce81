/**
 * BVH: parsing, and a real capture (CMU 01_01 from ../shared/data/cmu-mocap) retargeted onto the open
 * body's SMPL joint tree. The test poses both skeletons with forward kinematics written here (Euler
 * Z Y X channels for the BVH, Rodrigues for SMPL) and checks that on every retargeted frame each
 * mapped SMPL bone points along its BVH bone within 10 degrees, and that the root moves by the BVH
 * root's displacement scaled by the ratio of leg lengths.
 */
import { Effect, Either } from "effect"
import assert from "node:assert/strict"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openBody } from "../../src/body/openBody.ts"
import { parseBvh } from "../../src/motion/bvh.ts"
import { parseMotion } from "../../src/motion/parse.ts"
import { skeletonOf } from "../../src/motion/read.ts"
import { repoRoot } from "../io/paths.ts"

const capture = join(repoRoot, "../shared/data/cmu-mocap/01_01.bvh")
const skipCapture = existsSync(capture) ? false : "../shared/data/cmu-mocap/01_01.bvh is absent here"

type M3 = number[]
const mul = (a: M3, b: M3): M3 => Array.from({ length: 9 }, (_, k) => [0, 1, 2].reduce((s, i) => s + (a[3 * Math.floor(k / 3) + i] as number) * (b[3 * i + (k % 3)] as number), 0))
const apply = (m: M3, v: ArrayLike<number>) => [0, 1, 2].map((r) => (m[3 * r] as number) * (v[0] as number) + (m[3 * r + 1] as number) * (v[1] as number) + (m[3 * r + 2] as number) * (v[2] as number))
const euler = (axis: string, degrees: number): M3 => {
  const [c, s] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)]
  return axis === "X" ? [1, 0, 0, 0, c, -s, 0, s, c] : axis === "Y" ? [c, 0, s, 0, 1, 0, -s, 0, c] : [c, -s, 0, s, c, 0, 0, 0, 1]
}
const rodrigues = (r: ArrayLike<number>, at: number): M3 => {
  const [x, y, z] = [r[at] as number, r[at + 1] as number, r[at + 2] as number]
  const t = Math.hypot(x, y, z)
  if (t < 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0, 1]
  const [a, b, c] = [x / t, y / t, z / t]
  const [co, si] = [Math.cos(t), Math.sin(t)]
  const k = 1 - co
  return [co + a * a * k, a * b * k - c * si, a * c * k + b * si, a * b * k + c * si, co + b * b * k, b * c * k - a * si, a * c * k - b * si, b * c * k + a * si, co + c * c * k]
}
const angle = (u: ArrayLike<number>, v: ArrayLike<number>) => {
  const dot = (u[0] as number) * (v[0] as number) + (u[1] as number) * (v[1] as number) + (u[2] as number) * (v[2] as number)
  return (Math.acos(Math.min(1, Math.max(-1, dot / (Math.hypot(...Array.from(u)) * Math.hypot(...Array.from(v)))))) * 180) / Math.PI
}

/** Joint positions of a BVH file's frame, by name (children at parent + parent world rotation x offset). */
const bvhPositions = (text: string, frame: number): Map<string, number[]> => {
  const lines = text.split("\n").map((l) => l.trim())
  const motionAt = lines.indexOf("MOTION")
  const values = (lines[motionAt + 3 + frame] as string).split(/\s+/).map(Number)
  const stack: Array<{ name: string; rotation: M3; position: number[] }> = []
  const positions = new Map<string, number[]>()
  let channel = 0
  let pending: { name: string; offset: number[] } | undefined
  for (const line of lines.slice(0, motionAt)) {
    const [word, ...rest] = line.split(/\s+/)
    if (word === "ROOT" || word === "JOINT") pending = { name: rest[0] as string, offset: [] }
    else if (word === "End") pending = { name: `${stack.at(-1)?.name}/End`, offset: [] }
    else if (word === "OFFSET" && pending) pending.offset = rest.map(Number)
    else if (word === "}") stack.pop()
    if (pending && (word === "CHANNELS" || (word === "OFFSET" && pending.name.endsWith("/End")))) {
      const parent = stack.at(-1)
      const channels = word === "CHANNELS" ? rest.slice(1) : []
      let rotation: M3 = [1, 0, 0, 0, 1, 0, 0, 0, 1]
      const position = parent ? apply(parent.rotation, pending.offset).map((v, c) => v + (parent.position[c] as number)) : [...pending.offset]
      for (const name of channels) {
        const v = values[channel++] as number
        if (name.endsWith("rotation")) rotation = mul(rotation, euler(name[0] as string, v))
        else if (!parent) position["XYZ".indexOf(name[0] as string)] = v
      }
      positions.set(pending.name, position)
      stack.push({ name: pending.name, rotation: parent ? mul(parent.rotation, rotation) : rotation, position })
      pending = undefined
    }
  }
  return positions
}

/** SMPL joint positions of a pose (Rodrigues down the tree). */
const smplPositions = (parents: ReadonlyArray<number>, rest: ArrayLike<number>, pose: ArrayLike<number>, transl: ArrayLike<number>) => {
  const world: M3[] = []
  const positions: number[][] = []
  parents.forEach((p, j) => {
    const local = rodrigues(pose, 3 * j)
    const restJ = [0, 1, 2].map((c) => rest[3 * j + c] as number)
    if (p < 0) {
      world.push(local)
      positions.push(restJ.map((v, c) => v + (transl[c] as number)))
    } else {
      world.push(mul(world[p] as M3, local))
      const bone = apply(world[p] as M3, restJ.map((v, c) => v - (rest[3 * p + c] as number)))
      positions.push(bone.map((v, c) => v + (positions[p]?.[c] as number)))
    }
  })
  return positions
}

/** [SMPL joint, SMPL child, BVH joint, BVH joint]: the bones the retargeting maps (CMU names). */
const BONES: ReadonlyArray<readonly [number, number, string, string]> = [
  [1, 4, "LeftUpLeg", "LeftLeg"], [2, 5, "RightUpLeg", "RightLeg"], [4, 7, "LeftLeg", "LeftFoot"], [5, 8, "RightLeg", "RightFoot"],
  [7, 10, "LeftFoot", "LeftToeBase"], [8, 11, "RightFoot", "RightToeBase"], [3, 6, "LowerBack", "Spine"], [6, 9, "Spine", "Spine1"],
  [9, 12, "Spine1", "Neck1"], [12, 15, "Neck1", "Head"], [13, 16, "LeftShoulder", "LeftArm"], [14, 17, "RightShoulder", "RightArm"],
  [16, 18, "LeftArm", "LeftForeArm"], [17, 19, "RightArm", "RightForeArm"], [18, 20, "LeftForeArm", "LeftHand"], [19, 21, "RightForeArm", "RightHand"],
  [20, 22, "LeftHand", "LFingers"], [21, 23, "RightHand", "RFingers"]
]

const TWO_JOINTS = `HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation
  JOINT Spine
  {
    OFFSET 0 2 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    End Site
    {
      OFFSET 0 1 0
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.5
1 2 3 0 0 0 90 0 0
1 2 3 0 0 0 0 0 0
`

describe("BVH", () => {
  it("parses joints, End Sites, channels and frames", () => {
    const bvh = parseBvh(TWO_JOINTS)
    assert.deepEqual(bvh.joints.map((j) => j.name), ["Hips", "Spine", "Spine/End"])
    assert.deepEqual([bvh.frames, bvh.frameTime, bvh.channelCount], [2, 0.5, 9])
    assert.deepEqual(bvh.joints.map((j) => j.firstChannel), [0, 6, 9])
  })

  it("says which line is wrong and names the file", async () => {
    const skeleton = skeletonOf(openBody(), new Float64Array(10))
    const truncated = TWO_JOINTS.replace("1 2 3 0 0 0 0 0 0\n", "1 2 3\n")
    const result = await Effect.runPromise(Effect.either(parseMotion("short.bvh", new TextEncoder().encode(truncated), { fps: 2, skeleton })))
    assert.ok(Either.isLeft(result))
    assert.match(result.left.message, /^short\.bvh: line 20: the file ends at frame 1 of 2/)
    const unmapped = await Effect.runPromise(Effect.either(parseMotion("two.bvh", new TextEncoder().encode(TWO_JOINTS), { fps: 2, skeleton })))
    assert.ok(Either.isLeft(unmapped))
    assert.match(unmapped.left.message, /^two\.bvh: BVH skeleton has no joints for SMPL joint 1 \(looked for LeftUpLeg -> LeftLeg; it has Hips, Spine, Spine\/End\)/)
  })

  it("CMU 01_01 retargeted onto SMPL: every mapped bone within 10 degrees of the capture's on every frame", { skip: skipCapture }, async () => {
    const text = readFileSync(capture, "utf8")
    const body = openBody()
    const skeleton = skeletonOf(body, new Float64Array(10))
    const motion = await Effect.runPromise(parseMotion(capture, new TextEncoder().encode(text), { fps: 30, skeleton }))
    assert.equal(motion.fps, 30)
    assert.equal(motion.frames, 688) // 2752 frames at 120 Hz: 2751 / 4 + 1
    assert.equal(motion.world._tag, "YUp")
    let worst = 0
    let where = ""
    const first = bvhPositions(text, 0)
    const legOf = (p: (n: string) => number[]) => Math.hypot(...p("LeftLeg").map((v, c) => v - (p("LeftUpLeg")[c] as number))) + Math.hypot(...p("LeftFoot").map((v, c) => v - (p("LeftLeg")[c] as number)))
    const rest = skeleton.restJoints
    const smplLeg = Math.hypot(...[0, 1, 2].map((c) => (rest[12 + c] as number) - (rest[3 + c] as number))) + Math.hypot(...[0, 1, 2].map((c) => (rest[21 + c] as number) - (rest[12 + c] as number)))
    for (let k = 0; k < motion.frames; k++) {
      const bvh = bvhPositions(text, 4 * k)
      const at = (name: string) => bvh.get(name) ?? assert.fail(`no BVH joint ${name}`)
      const smpl = smplPositions(Array.from(body.parents), rest, motion.poses.subarray(72 * k, 72 * k + 72), motion.transl.subarray(3 * k, 3 * k + 3))
      for (const [j, child, a, b] of BONES) {
        const e = angle(smpl[child]?.map((v, c) => v - (smpl[j]?.[c] as number)) ?? [], at(b).map((v, c) => v - (at(a)[c] as number)))
        if (e > worst) [worst, where] = [e, `frame ${k}, SMPL ${j}->${child} vs ${a}->${b}`]
      }
      if (k === motion.frames - 1) {
        // The pelvis moves as the capture's root, scaled by the leg-length ratio (the rest legs differ in pose, not length).
        const scale = smplLeg / legOf((n) => first.get(n) as number[])
        const moved = [0, 1, 2].map((c) => (motion.transl[3 * k + c] as number) - (motion.transl[c] as number))
        const captured = [0, 1, 2].map((c) => scale * ((at("Hips")[c] as number) - (first.get("Hips")?.[c] as number)))
        assert.ok(Math.hypot(...moved.map((v, c) => v - (captured[c] as number))) < 1e-6, `root moved ${moved}, capture ${captured}`)
      }
    }
    assert.ok(worst < 10, `worst bone ${worst.toFixed(2)} degrees at ${where}`)
  })
})
