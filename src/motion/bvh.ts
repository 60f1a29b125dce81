/**
 * BVH motion capture files: a HIERARCHY of joints (OFFSET from the parent in the rest pose,
 * CHANNELS among X/Y/Z position and X/Y/Z rotation in degrees, End Sites) and a MOTION block
 * (Frames, Frame Time, one line of channel values per frame). A joint's local rotation is the
 * product of its rotation channels in the order listed (CMU: Zrotation Yrotation Xrotation means
 * Rz Ry Rx); a child sits at parent position + parent world rotation x child offset.
 * End Sites are kept as joints without channels (named "<parent>/End"), so every bone has a tip.
 */
import { mul33, mulVec33 } from "../math/matrix.ts"

export interface BvhJoint {
  readonly name: string
  /** Index of the parent joint; -1 for the root. */
  readonly parent: number
  readonly offset: readonly [number, number, number]
  readonly channels: ReadonlyArray<string>
  /** Where this joint's channels start in a frame's values. */
  readonly firstChannel: number
}

export interface Bvh {
  readonly joints: ReadonlyArray<BvhJoint>
  readonly frames: number
  readonly frameTime: number
  /** [frames * channels] */
  readonly values: Float64Array
  readonly channelCount: number
}

/** A malformed BVH: the line and what was expected (readers turn it into a DatasetError naming the file). */
export class BvhSyntaxError extends Error {}

const CHANNEL_NAMES = new Set(["Xposition", "Yposition", "Zposition", "Xrotation", "Yrotation", "Zrotation"])

/** Tokens with their line numbers. */
const tokenize = (text: string): ReadonlyArray<{ readonly token: string; readonly line: number }> =>
  text.split(/\r?\n/).flatMap((content, i) => content.trim().split(/\s+/).filter((t) => t.length > 0).map((token) => ({ token, line: i + 1 })))

export const parseBvh = (text: string): Bvh => {
  const tokens = tokenize(text)
  let at = 0
  const peek = () => tokens[at]?.token
  const line = () => tokens[Math.min(at, tokens.length - 1)]?.line ?? 0
  const expect = (what: string): string => {
    const t = tokens[at++]
    if (t === undefined || (what !== "*" && t.token !== what)) throw new BvhSyntaxError(`line ${t?.line ?? line()}: expected ${what}, got ${t?.token ?? "end of file"}`)
    return t.token
  }
  const number = (): number => {
    const t = expect("*")
    const v = Number(t)
    if (!Number.isFinite(v)) throw new BvhSyntaxError(`line ${line()}: expected a number, got ${t}`)
    return v
  }
  const joints: BvhJoint[] = []
  let channelCount = 0
  const joint = (name: string, parent: number): void => {
    expect("{")
    expect("OFFSET")
    const offset: [number, number, number] = [number(), number(), number()]
    const channels: string[] = []
    if (peek() === "CHANNELS") {
      expect("CHANNELS")
      const n = number()
      for (let k = 0; k < n; k++) {
        const c = expect("*")
        if (!CHANNEL_NAMES.has(c)) throw new BvhSyntaxError(`line ${line()}: unknown channel ${c}`)
        channels.push(c)
      }
    }
    const index = joints.length
    joints.push({ name, parent, offset, channels, firstChannel: channelCount })
    channelCount += channels.length
    while (peek() !== "}") {
      const kind = expect("*")
      if (kind === "JOINT") joint(expect("*"), index)
      else if (kind === "End") {
        expect("Site")
        joint(`${name}/End`, index)
      } else throw new BvhSyntaxError(`line ${line()}: expected JOINT, End Site or }, got ${kind}`)
    }
    expect("}")
  }
  expect("HIERARCHY")
  expect("ROOT")
  joint(expect("*"), -1)
  expect("MOTION")
  expect("Frames:")
  const frames = number()
  expect("Frame")
  expect("Time:")
  const frameTime = number()
  if (!(Number.isInteger(frames) && frames > 0 && frameTime > 0)) throw new BvhSyntaxError(`line ${line()}: Frames must be a positive whole number and Frame Time positive, got ${frames} and ${frameTime}`)
  const values = new Float64Array(frames * channelCount)
  for (let k = 0; k < values.length; k++) {
    if (at >= tokens.length) throw new BvhSyntaxError(`line ${line()}: the file ends at frame ${Math.floor(k / channelCount)} of ${frames} (${channelCount} channels a frame)`)
    values[k] = number()
  }
  return { joints, frames, frameTime, values, channelCount }
}

const axisRotation = (axis: string, degrees: number): Float64Array => {
  const a = (degrees * Math.PI) / 180
  const c = Math.cos(a)
  const s = Math.sin(a)
  if (axis === "X") return Float64Array.of(1, 0, 0, 0, c, -s, 0, s, c)
  if (axis === "Y") return Float64Array.of(c, 0, s, 0, 1, 0, -s, 0, c)
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1)
}

const IDENTITY = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1)

/** World rotations [J * 9] (row-major) and positions [J * 3] of every joint at a frame (BVH units). */
export const bvhPose = (bvh: Bvh, frame: number): { readonly rotations: Float64Array; readonly positions: Float64Array } => {
  const J = bvh.joints.length
  const rotations = new Float64Array(J * 9)
  const positions = new Float64Array(J * 3)
  const values = bvh.values.subarray(frame * bvh.channelCount, (frame + 1) * bvh.channelCount)
  bvh.joints.forEach((joint, j) => {
    let local: Float64Array = IDENTITY
    const translation = [...joint.offset]
    joint.channels.forEach((channel, k) => {
      const v = values[joint.firstChannel + k] as number
      if (channel.endsWith("rotation")) local = mul33(local, axisRotation(channel[0] as string, v))
      else translation["XYZ".indexOf(channel[0] as string)] = v
    })
    const parentRotation = joint.parent < 0 ? IDENTITY : rotations.subarray(9 * joint.parent, 9 * joint.parent + 9)
    const start = joint.parent < 0 ? [0, 0, 0] : positions.subarray(3 * joint.parent, 3 * joint.parent + 3)
    const moved = joint.parent < 0 ? translation : mulVec33(parentRotation, joint.offset)
    rotations.set(mul33(parentRotation, local), 9 * j)
    positions.set([0, 1, 2].map((c) => (start[c] as number) + (moved[c] as number)), 3 * j)
  })
  return { rotations, positions }
}
