/**
 * Procedural albedo of the clothed person at a rest-pose surface point, with
 * detail at several scales so that image metrics mean something: shirt stripes
 * and pinstripes, a chest badge with a star, seams with stitches (sides,
 * shoulders, back yoke), a ribbed collar and hem, denim twill with pockets and
 * seams, shoes with soles and laces, hair strands, and a face (eyes, brows,
 * lips, cheeks). Fabric and skin carry multi-octave noise. The finest detail is
 * about a centimetre, what the default 256-pixel frames with 2x2 supersampling
 * resolve (a pixel covers about 8 mm of the person), so that it does not alias
 * into view-dependent moire. RGB in 0..1. Coordinates as in garment.ts.
 */
import { type Material, HEAD_CENTRE, HEM_Y, SLEEVE_END_X } from "./garment.ts"
import { fbm, fract, smoothstep } from "./noise.ts"

export type Rgb = [number, number, number]

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
const scale = (a: Rgb, s: number): Rgb => [a[0] * s, a[1] * s, a[2] * s]
/** 1 inside a band of half-width w around 0 of a periodic coordinate, soft at the edges. */
const line = (d: number, w: number): number => 1 - smoothstep(w * 0.6, w, Math.abs(d))
const dashes = (s: number, period: number): number => (fract(s / period) < 0.6 ? 1 : 0)

const TEAL: Rgb = [0.1, 0.42, 0.52]
const CREAM: Rgb = [0.93, 0.89, 0.76]
const NAVY: Rgb = [0.08, 0.1, 0.25]
const ORANGE: Rgb = [0.95, 0.55, 0.12]
const DENIM: Rgb = [0.17, 0.24, 0.44]
const SKIN: Rgb = [0.88, 0.68, 0.55]
const HAIR: Rgb = [0.22, 0.13, 0.07]

/** Inside a five-pointed star of outer radius r at polar (rho, phi). */
const inStar = (rho: number, phi: number, r: number): boolean => {
  const sector = (2 * Math.PI) / 5
  const a = Math.abs(fract(phi / sector + 0.25) - 0.5) * sector // 0 at a point, sector / 2 between points
  return rho < r * (0.45 + 0.55 * Math.pow(Math.cos(a * 1.6), 6))
}

const chestBadge = (x: number, y: number): Rgb | undefined => {
  const rho = Math.hypot(x - 0.05, y - 0.09)
  if (rho > 0.05) return undefined
  if (rho > 0.045) return NAVY
  return inStar(rho, Math.atan2(y - 0.09, x - 0.05), 0.04) ? CREAM : ORANGE
}

const shirt = (x: number, y: number, z: number): Rgb => {
  const sleeve = Math.abs(x) > 0.2 && y > 0.1
  const along = sleeve ? Math.abs(x) : y // stripes go around the torso and around the sleeves
  let c = fract(along / 0.07) < 0.22 ? CREAM : TEAL
  c = mix(c, NAVY, line(fract(along / 0.07) - 0.6, 0.004))
  if (!sleeve && z > 0) c = chestBadge(x, y) ?? c
  const around = Math.atan2(x, z)
  const side = sleeve ? 0 : line(Math.abs(around) - Math.PI / 2, 0.03) // side seams
  const shoulder = line(Math.abs(x) - 0.19, 0.005) * (y > 0.1 ? 1 : 0)
  const yoke = !sleeve && z < 0 ? line(y - 0.13 - 0.03 * Math.cos(x * 12), 0.004) : 0 // back yoke seam
  const hem = sleeve ? smoothstep(SLEEVE_END_X - 0.03, SLEEVE_END_X - 0.025, Math.abs(x)) : 1 - smoothstep(HEM_Y + 0.025, HEM_Y + 0.03, y)
  const collar = !sleeve && y > 0.16 && Math.hypot(x, z + 0.01) < 0.075 ? 1 : 0
  c = mix(c, scale(TEAL, 0.7), Math.max(hem, collar))
  if (hem > 0.5 || collar > 0.5) c = scale(c, 0.9 + 0.1 * Math.sin((sleeve ? y : x) * 450)) // ribbing, 1.4 cm
  const stitches = Math.max(side, shoulder, yoke) * dashes(sleeve ? y + z : y + x, 0.012)
  c = mix(c, scale(NAVY, 1.5), Math.max(side * 0.7, stitches))
  return scale(c, 0.92 + 0.16 * fbm(x, y, z, 30, 2))
}

const trousers = (x: number, y: number, z: number): Rgb => {
  const legX = x > 0 ? 0.095 : -0.095
  const twill = 0.94 + 0.06 * Math.sin(((y + 0.5 * x + 0.3 * z) / 0.01) * 2 * Math.PI)
  let c = scale(DENIM, twill * (0.85 + 0.3 * fbm(x, y, z, 12, 3)))
  c = mix(c, [0.45, 0.55, 0.72], 0.35 * smoothstep(0.07, 0.0, Math.hypot(y + 0.68, (x - legX) * 0.7)) * (z > 0 ? 1 : 0)) // faded knees
  const outer = Math.atan2(Math.abs(x) - 0.095, z)
  const seam = line(outer - Math.PI / 2, 0.06) * dashes(y, 0.015)
  const pocket = z < 0 && y > -0.45 && y < -0.3 && Math.abs(x) > 0.035 && Math.abs(x) < 0.15
  const pocketEdge = pocket && (Math.abs(x) < 0.042 || Math.abs(x) > 0.143 || y < -0.443 || y > -0.307) ? dashes(x + y, 0.012) : 0
  return mix(c, ORANGE, Math.max(seam, pocketEdge))
}

const shoes = (x: number, y: number, z: number): Rgb => {
  if (y < -1.18) return [0.9, 0.9, 0.88]
  const footX = x > 0 ? 0.115 : -0.115
  const lace = z > 0.02 && z < 0.12 && y > -1.14 && Math.abs(x - footX) < 0.025 && line(fract((z + Math.abs(x - footX)) / 0.02) - 0.5, 0.12) > 0.5
  if (lace) return [0.95, 0.95, 0.95]
  return scale([0.3, 0.17, 0.1], 0.8 + 0.4 * fbm(x, y, z, 40, 2))
}

const hair = (x: number, y: number, z: number): Rgb => scale(HAIR, 0.7 + 0.6 * fbm(x * 4, y, z * 4, 15, 2))

const ellipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number): number => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2

const face = (x: number, y: number): Rgb | undefined => {
  const eyeX = x > 0 ? 0.032 : -0.032
  const eye = ellipse(x, y, eyeX, 0.455, 0.014, 0.008)
  if (eye < 1) {
    const iris = Math.hypot(x - eyeX, y - 0.455)
    return iris < 0.0025 ? [0.02, 0.02, 0.02] : iris < 0.0065 ? [0.3, 0.2, 0.1] : [0.95, 0.95, 0.93]
  }
  const browY = 0.474 + 0.004 * Math.cos(((x - eyeX) / 0.02) * 1.2)
  if (Math.abs(x - eyeX) < 0.02 && Math.abs(y - browY) < 0.0035) return HAIR
  const lips = ellipse(x, y, 0, 0.398, 0.022, 0.0075)
  if (lips < 1) return Math.abs(y - 0.398) < 0.0012 ? [0.4, 0.15, 0.15] : [0.72, 0.32, 0.32]
  return undefined
}

const skin = (x: number, y: number, z: number, head: boolean): Rgb => {
  const base = scale(SKIN, 0.93 + 0.14 * fbm(x, y, z, 20, 2))
  if (!head || z < HEAD_CENTRE[2] + 0.04) return base
  const feature = face(x, y)
  if (feature) return feature
  const blush = smoothstep(0.025, 0.0, Math.hypot(Math.abs(x) - 0.045, y - 0.418))
  return mix(base, [0.9, 0.45, 0.42], 0.35 * blush)
}

/** Albedo of `material` at rest point (x, y, z); `head` tells the face from other skin. */
export const albedo = (material: Material, x: number, y: number, z: number, head: boolean): Rgb => {
  switch (material) {
    case "shirt": return shirt(x, y, z)
    case "trousers": return trousers(x, y, z)
    case "shoes": return shoes(x, y, z)
    case "hair": return hair(x, y, z)
    case "skin": return skin(x, y, z, head)
  }
}
