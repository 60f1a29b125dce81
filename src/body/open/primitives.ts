/**
 * The open body's shape as a signed distance function: tapered capsules with
 * elliptic cross-sections (one or more per SMPL joint), joined by a smooth
 * minimum, minus two eye sockets. Metres; left = +x, y up, the body faces +z.
 * Each primitive belongs to the joint whose rotation moves it (the bone that
 * starts at that joint), which is how the surface is later split into parts.
 * The trunk is one primitive with a smooth radius profile (stacked capsules
 * ripple where they meet); four trunk pieces serve only to split it into the
 * pelvis and spine parts.
 */

export type Vec3 = readonly [number, number, number]

/** Whether a primitive shapes the surface, names the part of the points near it, or both. */
export type Role = "both" | "shape" | "part"

export interface Primitive {
  readonly joint: number
  readonly role: Role
  /** Axis from a to b. */
  readonly a: Vec3
  readonly b: Vec3
  /** Radii at evenly spaced points from a to b (two: a linear taper; more: a Catmull-Rom profile). */
  readonly radii: ReadonlyArray<number>
  /** Cross-section scale along `up` (projected perpendicular to the axis) and along axis x up. */
  readonly up: Vec3
  readonly scaleUp: number
  readonly scaleSide: number
  /** Smooth-union radius with the rest of the body (metres). */
  readonly blend: number
}

const mirror = (p: Primitive, joint: number): Primitive => ({
  ...p,
  joint,
  a: [-p.a[0], p.a[1], p.a[2]],
  b: [-p.b[0], p.b[1], p.b[2]]
})

const prim = (joint: number, a: Vec3, b: Vec3, ra: number, rb: number, up: Vec3, scaleUp = 1, scaleSide = 1, blend = 0.03): Primitive => ({
  joint, role: "both", a, b, radii: [ra, rb], up, scaleUp, scaleSide, blend
})

const Y: Vec3 = [0, 1, 0]
const Z: Vec3 = [0, 0, 1]

/** Left-side limb primitives (joint ids of the left side); the right side mirrors them. */
const leftLimbs: ReadonlyArray<readonly [Primitive, number]> = [
  [prim(1, [0.085, -0.29, 0.015], [0.1, -0.7, 0.01], 0.08, 0.053, Z, 1, 1, 0.02), 2],
  [prim(4, [0.1, -0.7, 0.01], [0.09, -1.08, -0.025], 0.052, 0.035, Z), 5],
  [prim(7, [0.09, -1.135, -0.045], [0.115, -1.15, 0.1], 0.036, 0.034, Y, 0.85, 1.25, 0.03), 8],
  [prim(10, [0.115, -1.155, 0.1], [0.125, -1.165, 0.175], 0.032, 0.026, Y, 0.75, 1.35, 0.02), 11],
  [prim(13, [0.04, 0.2, -0.015], [0.17, 0.215, -0.02], 0.06, 0.055, Y, 1, 1, 0.04), 14],
  [prim(16, [0.17, 0.21, -0.02], [0.43, 0.2, -0.04], 0.05, 0.04, Y, 1, 1, 0.03), 17],
  [prim(18, [0.43, 0.2, -0.04], [0.7, 0.21, -0.03], 0.04, 0.029, Y, 0.9, 1.1, 0.02), 19],
  [prim(20, [0.7, 0.207, -0.03], [0.79, 0.202, -0.035], 0.022, 0.021, Y, 0.7, 2, 0.015), 21],
  [prim(20, [0.725, 0.2, 0.0], [0.775, 0.193, 0.045], 0.016, 0.015, Y, 1, 1, 0.012), 21],
  [prim(22, [0.79, 0.202, -0.035], [0.875, 0.198, -0.035], 0.02, 0.014, Y, 0.65, 2, 0.012), 23]
]

const torsoPart = (joint: number, a: Vec3, b: Vec3, ra: number, rb: number): Primitive => ({ ...prim(joint, a, b, ra, rb, Z, 1, 1.5), role: "part" })

const torso: ReadonlyArray<Primitive> = [
  { ...prim(0, [0, -0.33, 0.008], [0, 0.2, 0.008], 0, 0, Z, 1, 1.5, 0.04), role: "shape", radii: [0.11, 0.106, 0.101, 0.098, 0.097, 0.1, 0.104, 0.1, 0.088] },
  torsoPart(0, [0, -0.33, 0.005], [0, -0.18, 0.01], 0.11, 0.1),
  torsoPart(3, [0, -0.18, 0.01], [0, -0.03, 0.02], 0.1, 0.097),
  torsoPart(6, [0, -0.03, 0.02], [0, 0.07, 0.02], 0.097, 0.104),
  torsoPart(9, [0, 0.07, 0.02], [0, 0.2, 0.0], 0.104, 0.088),
  prim(12, [0, 0.22, -0.01], [0, 0.37, 0.0], 0.05, 0.048, Z, 1, 1, 0.03),
  prim(15, [0, 0.41, 0.02], [0, 0.47, 0.015], 0.085, 0.08, Z, 1.12, 0.92, 0.03),
  // nose and chin
  prim(15, [0, 0.445, 0.105], [0, 0.415, 0.118], 0.009, 0.014, Z, 1, 1, 0.015),
  prim(15, [0, 0.37, 0.06], [0, 0.36, 0.075], 0.03, 0.025, Z, 1, 1.4, 0.025)
]

export const bodyPrimitives: ReadonlyArray<Primitive> = [
  ...torso,
  ...leftLimbs.map(([p]) => p),
  ...leftLimbs.map(([p, right]) => mirror(p, right))
]

/** Eye sockets carved from the head: centre, radius, blend. */
const eyeSockets: ReadonlyArray<readonly [Vec3, number]> = [
  [[0.032, 0.455, 0.112], 0.017],
  [[-0.032, 0.455, 0.112], 0.017]
]

/** Precomputed local frame of a primitive: axis e (unit), cross-section axes u1 (scaled by scaleUp), u2. */
interface Frame {
  readonly p: Primitive
  readonly e: Vec3
  readonly u1: Vec3
  readonly u2: Vec3
  readonly length: number
  /** Centre of the axis, and constants of a cheap lower bound of the distance (see distanceBound). */
  readonly mid: Vec3
  readonly maxScale: number
  readonly maxRadius: number
  readonly scaleMin: number
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s]
const normalize = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(a[0], a[1], a[2]))

const frameOf = (p: Primitive): Frame => {
  const axis = sub(p.b, p.a)
  const length = Math.hypot(axis[0], axis[1], axis[2])
  const e = scale(axis, 1 / length)
  const u1 = normalize(sub(p.up, scale(e, dot(p.up, e))))
  const mid: Vec3 = [(p.a[0] + p.b[0]) / 2, (p.a[1] + p.b[1]) / 2, (p.a[2] + p.b[2]) / 2]
  return { p, e, u1, u2: cross(e, u1), length, mid, maxScale: Math.max(1, p.scaleUp, p.scaleSide), maxRadius: Math.max(...p.radii), scaleMin: Math.min(p.scaleUp, p.scaleSide, 1) }
}

/**
 * A lower bound of primitiveDistance: the scaled distance to the axis is at
 * least the plain distance to the axis centre, less half the length, over the
 * largest scale.
 */
const distanceBound = (f: Frame, x: number, y: number, z: number): number =>
  ((Math.sqrt((x - f.mid[0]) ** 2 + (y - f.mid[1]) ** 2 + (z - f.mid[2]) ** 2) - f.length / 2) / f.maxScale - f.maxRadius) * f.scaleMin

const shapeFrames: ReadonlyArray<Frame> = bodyPrimitives.filter((p) => p.role !== "part").map(frameOf)
const partFrames: ReadonlyArray<Frame> = bodyPrimitives.filter((p) => p.role !== "shape").map(frameOf)

/** Radius at t in [0, 1]: linear between two radii, Catmull-Rom through more. */
const radiusAt = (radii: ReadonlyArray<number>, t: number): number => {
  const n = radii.length
  if (n === 2) return radii[0]! + (radii[1]! - radii[0]!) * t
  const i = Math.min(n - 2, Math.floor(t * (n - 1)))
  const u = t * (n - 1) - i
  const p0 = radii[Math.max(0, i - 1)]!, p1 = radii[i]!, p2 = radii[i + 1]!, p3 = radii[Math.min(n - 1, i + 2)]!
  return 0.5 * (2 * p1 + (p2 - p0) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u * u + (3 * p1 - p0 - 3 * p2 + p3) * u * u * u)
}

/** Signed distance (approximate, exact enough for an iso-surface) from (x, y, z) to one primitive. */
export const primitiveDistance = (f: Frame, x: number, y: number, z: number): number => {
  const { p, e, u1, u2, length } = f
  const dx = x - p.a[0]
  const dy = y - p.a[1]
  const dz = z - p.a[2]
  const along = dx * e[0] + dy * e[1] + dz * e[2]
  const t = Math.min(1, Math.max(0, along / length))
  const c1 = (dx * u1[0] + dy * u1[1] + dz * u1[2]) / p.scaleUp
  const c2 = (dx * u2[0] + dy * u2[1] + dz * u2[2]) / p.scaleSide
  const radius = radiusAt(p.radii, t)
  return (Math.sqrt((along - t * length) ** 2 + c1 * c1 + c2 * c2) - radius) * f.scaleMin
}

/** Polynomial smooth minimum of radius k. */
const smoothMin = (a: number, b: number, k: number): number => {
  const h = Math.max(k - Math.abs(a - b), 0) / k
  return Math.min(a, b) - (h * h * k) / 4
}

/** The body's signed distance: negative inside. */
export const bodyDistance = (x: number, y: number, z: number): number => {
  let d = Infinity
  for (const f of shapeFrames) {
    // a primitive farther than the blend radius leaves the smooth minimum unchanged
    if (d !== Infinity && distanceBound(f, x, y, z) >= d + f.p.blend) continue
    const di = primitiveDistance(f, x, y, z)
    d = d === Infinity ? di : smoothMin(d, di, f.p.blend)
  }
  for (const [c, r] of eyeSockets) {
    const socket = r - Math.sqrt((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - c[2]) ** 2)
    if (socket <= d - 0.008) continue
    d = -smoothMin(-d, -socket, 0.008)
  }
  return d
}

/** Index of the joint whose primitive is nearest to the point (the body part it belongs to). */
export const nearestJoint = (x: number, y: number, z: number): number => {
  let best = Infinity
  let joint = 0
  for (const f of partFrames) {
    const d = primitiveDistance(f, x, y, z)
    if (d < best) {
      best = d
      joint = f.p.joint
    }
  }
  return joint
}
