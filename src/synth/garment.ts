/**
 * The clothed person's garments on the rest (T-pose) body: which material
 * covers a surface point (a loose short-sleeved shirt, trousers, shoes, hair,
 * skin), and how far the cloth stands off the skin along the normal. The shirt
 * is loose (more so towards its flared hem) with vertical folds; the trousers
 * flare at the ankles. One pose-dependent effect: raising the arms lifts the
 * shirt's hem (applied in rest space before skinning, like SMPL's pose
 * correctives), so the cloth does not only follow the skinning.
 * Coordinates: metres, rest pose, y up, left = +x, the body faces +z.
 */
import { axisAngleToMatrix } from "../math/rotation.ts"
import { smoothstep } from "./noise.ts"

export type Material = "skin" | "hair" | "shirt" | "trousers" | "shoes"

export const HEM_Y = -0.27
/** Sleeves end this far (|x|) from the body's midline. */
export const SLEEVE_END_X = 0.32
export const HEAD_CENTRE = [0, 0.44, 0.02] as const

const TORSO_JOINTS = new Set([0, 3, 6, 9, 13, 14])
const LEG_JOINTS = new Set([1, 2, 4, 5])
const FOOT_JOINTS = new Set([7, 8, 10, 11])
const UPPER_ARM_JOINTS = new Set([16, 17])

/** Hair on the head: the crown and the back, down to the nape; the hairline rises towards the face. */
export const isHair = (x: number, y: number, z: number): boolean => {
  const dy = y - HEAD_CENTRE[1]
  const dz = z - HEAD_CENTRE[2]
  const front = Math.max(0, dz) / 0.09
  return dy > 0.025 + 0.03 * front * front + 0.01 * Math.abs(x) / 0.08 || (dz < -0.015 && dy > -0.07)
}

/** The material at rest point (x, y, z) of the part (dominant skinning joint) `joint`. */
export const materialAt = (joint: number, x: number, y: number, z: number): Material => {
  if (TORSO_JOINTS.has(joint)) return y > HEM_Y ? "shirt" : "trousers"
  if (LEG_JOINTS.has(joint)) return "trousers"
  if (FOOT_JOINTS.has(joint)) return "shoes"
  if (UPPER_ARM_JOINTS.has(joint)) return Math.abs(x) < SLEEVE_END_X ? "shirt" : "skin"
  if (joint === 15) return isHair(x, y, z) ? "hair" : "skin"
  return "skin"
}

/** Vertical folds of the loose shirt, 0..1, strongest towards the hem. */
export const shirtFolds = (x: number, y: number, z: number): number => {
  const around = Math.atan2(x, z)
  const wave = 0.5 + 0.5 * Math.sin(9 * around + 5 * y + 1.3 * Math.sin(3 * around))
  return wave * smoothstep(0.12, HEM_Y, y)
}

/** How far the cloth (or hair) stands off the skin along the normal, metres. */
export const standOff = (material: Material, x: number, y: number, z: number): number => {
  switch (material) {
    case "shirt": {
      if (Math.abs(x) > 0.2 && y > 0.1) return 0.008 + 0.012 * smoothstep(0.22, SLEEVE_END_X, Math.abs(x)) // sleeve, flared at the cuff
      return 0.01 + 0.022 * smoothstep(0.05, HEM_Y, y) + 0.008 * shirtFolds(x, y, z)
    }
    case "trousers":
      return 0.006 + 0.014 * smoothstep(-0.8, -1.06, y) + 0.003 * Math.max(0, Math.sin(y * 70)) * smoothstep(-0.55, -0.68, y) * smoothstep(-0.85, -0.72, y)
    case "hair":
      return 0.006 + 0.012 * smoothstep(0.0, 0.09, y - HEAD_CENTRE[1])
    case "shoes":
      return 0.004
    case "skin":
      return 0
  }
}

/** Weight of the hem lift at rest height y: 1 at the hem, 0 above the waist. */
export const hemWeight = (y: number): number => smoothstep(0.0, HEM_Y, y)

/**
 * How far (metres, along rest +y) the hem lifts in a pose [72]: arms at the
 * sides give 0, both arms straight up about 4 cm.
 */
export const hemLift = (pose: ArrayLike<number>): number => {
  let raise = 0
  for (const [joint, side] of [[16, 1], [17, -1]] as const) {
    const r = axisAngleToMatrix(pose, 3 * joint)
    // The upper arm's direction (rest: side * x) in its parent's frame; its height from -1 (down) to 1 (up).
    const up = r[3]! * side
    raise += smoothstep(-0.2, 1, up) / 2
  }
  return 0.04 * raise
}
