/**
 * Checking pictures: a frame enlarged, with the fitted body (the poses of
 * smpl_parms.npz, without clothes) drawn over it as a grid wireframe on its
 * camera-facing side, its skeleton, and the mask's outline. Where
 * poses, camera and mask agree, the wireframe sits inside the clothes and the
 * outline hugs the person.
 */
import type { Image8 } from "../io/png.ts"
import { type Camera, supersampled, toScreen } from "./camera.ts"
import type { Frame8 } from "./render.ts"

type Rgb = readonly [number, number, number]
const WIRE: Rgb = [20, 170, 60]
const BONE: Rgb = [200, 30, 200]
const OUTLINE: Rgb = [230, 30, 30]

const enlarge = (image: Image8, factor: number): Image8 => {
  const width = image.width * factor, height = image.height * factor
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * image.channels
      for (let c = 0; c < 3; c++) data[3 * (y * width + x) + c] = image.data[from + (image.channels === 1 ? 0 : c)]!
    }
  return { width, height, channels: 3, data }
}

const blend = (image: Image8, x: number, y: number, color: Rgb, alpha: number): void => {
  const xi = Math.round(x), yi = Math.round(y)
  if (xi < 0 || yi < 0 || xi >= image.width || yi >= image.height) return
  const at = 3 * (yi * image.width + xi)
  for (let c = 0; c < 3; c++) image.data[at + c] = Math.round(image.data[at + c]! * (1 - alpha) + color[c]! * alpha)
}

const blendLine = (image: Image8, x0: number, y0: number, x1: number, y1: number, color: Rgb, alpha: number): void => {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))))
  for (let s = 0; s < steps; s++) blend(image, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, color, alpha)
}

/** Grid spacing of the wireframe on the rest body, metres. */
const GRID = 0.04

/** Where the segment p -> q crosses `level` of the field f, as screen x, y. */
const crossing = (screen: Float64Array, field: Float64Array, p: number, q: number, level: number): [number, number] => {
  const t = (level - field[p]!) / (field[q]! - field[p]!)
  return [screen[3 * p]! + t * (screen[3 * q]! - screen[3 * p]!), screen[3 * p + 1]! + t * (screen[3 * q + 1]! - screen[3 * p + 1]!)]
}

/** The iso-lines of `field` at multiples of GRID across one face. */
const drawIsoLines = (image: Image8, screen: Float64Array, field: Float64Array, a: number, b: number, c: number): void => {
  const lo = Math.min(field[a]!, field[b]!, field[c]!), hi = Math.max(field[a]!, field[b]!, field[c]!)
  for (let k = Math.ceil(lo / GRID); k * GRID < hi; k++) {
    const level = k * GRID
    const ends: Array<[number, number]> = []
    for (const [p, q] of [[a, b], [b, c], [c, a]] as const) {
      if ((field[p]! < level) !== (field[q]! < level)) ends.push(crossing(screen, field, p, q, level))
    }
    if (ends.length === 2) blendLine(image, ends[0]![0], ends[0]![1], ends[1]![0], ends[1]![1], WIRE, 0.8)
  }
}

/**
 * A wireframe that stays readable on a dense mesh: on the camera-facing faces,
 * the lines where the rest-pose x and y coordinates cross multiples of GRID
 * (rings around the limbs and the trunk), moving with the posed body.
 */
const drawWireframe = (image: Image8, screen: Float64Array, faces: Uint32Array, rest: Float64Array): void => {
  const restX = new Float64Array(rest.length / 3).map((_, v) => rest[3 * v]!)
  const restY = new Float64Array(rest.length / 3).map((_, v) => rest[3 * v + 1]!)
  for (let f = 0; f < faces.length / 3; f++) {
    const a = faces[3 * f]!, b = faces[3 * f + 1]!, c = faces[3 * f + 2]!
    const signed = (screen[3 * b]! - screen[3 * a]!) * (screen[3 * c + 1]! - screen[3 * a + 1]!) - (screen[3 * c]! - screen[3 * a]!) * (screen[3 * b + 1]! - screen[3 * a + 1]!)
    if (signed >= 0) continue // faces away from the camera (outward counter-clockwise faces turn clockwise on a y-down screen)
    drawIsoLines(image, screen, restX, a, b, c)
    drawIsoLines(image, screen, restY, a, b, c)
  }
}

const drawSkeleton = (image: Image8, joints: Float64Array, parents: ArrayLike<number>): void => {
  for (let j = 0; j < parents.length; j++) {
    const p = parents[j]!
    if (p >= 0) blendLine(image, joints[3 * j]!, joints[3 * j + 1]!, joints[3 * p]!, joints[3 * p + 1]!, BONE, 0.9)
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (dx * dx + dy * dy <= 4) blend(image, joints[3 * j]! + dx, joints[3 * j + 1]! + dy, BONE, 1)
  }
}

const drawMaskOutline = (image: Image8, mask: Image8, factor: number): void => {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.data[y * mask.width + x]! >= 128
  for (let y = 0; y < mask.height; y++)
    for (let x = 0; x < mask.width; x++) {
      if (!inside(x, y) || (inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1))) continue
      for (let d = 0; d < factor; d++) blend(image, x * factor + d, y * factor + (factor >> 1), OUTLINE, 1)
    }
}

export interface FittedBody {
  /** [V, 3] world */
  readonly vertices: Float64Array
  /** [V, 3] the same vertices in the rest pose, where the wireframe's grid is laid out. */
  readonly rest: Float64Array
  readonly faces: Uint32Array
  /** [J, 3] world */
  readonly joints: Float64Array
  readonly parents: ArrayLike<number>
}

/** The frame enlarged `factor` times with the fitted body and the mask outline drawn over it. */
export const overlay = (frame: Frame8, fitted: FittedBody, camera: Camera, factor = 2): Image8 => {
  const image = enlarge(frame.image, factor)
  const big = supersampled(camera, factor)
  drawWireframe(image, toScreen(big, fitted.vertices), fitted.faces, fitted.rest)
  drawSkeleton(image, toScreen(big, fitted.joints), fitted.parents)
  drawMaskOutline(image, frame.mask, factor)
  return image
}
