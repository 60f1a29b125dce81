/**
 * Deterministic 3D value noise for procedural textures: a hash of the integer
 * lattice, smooth trilinear interpolation, and a sum of octaves (fbm). Values in [0, 1].
 */

const hash3 = (x: number, y: number, z: number): number => {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x9e3779b1)
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296
}

const fade = (t: number): number => t * t * (3 - 2 * t)
const lerp = (a: number, b: number, t: number): number => a + (b - a) * t

export const valueNoise = (x: number, y: number, z: number): number => {
  const xi = Math.floor(x), yi = Math.floor(y), zi = Math.floor(z)
  const tx = fade(x - xi), ty = fade(y - yi), tz = fade(z - zi)
  const corner = (dx: number, dy: number, dz: number) => hash3(xi + dx, yi + dy, zi + dz)
  const x00 = lerp(corner(0, 0, 0), corner(1, 0, 0), tx)
  const x10 = lerp(corner(0, 1, 0), corner(1, 1, 0), tx)
  const x01 = lerp(corner(0, 0, 1), corner(1, 0, 1), tx)
  const x11 = lerp(corner(0, 1, 1), corner(1, 1, 1), tx)
  return lerp(lerp(x00, x10, ty), lerp(x01, x11, ty), tz)
}

/** `octaves` octaves of value noise starting at `frequency` (cycles per metre), each twice as fine and half as strong. */
export const fbm = (x: number, y: number, z: number, frequency: number, octaves = 3): number => {
  let sum = 0, weight = 0, amplitude = 1, f = frequency
  for (let o = 0; o < octaves; o++) {
    sum += amplitude * valueNoise(x * f + 17 * o, y * f, z * f)
    weight += amplitude
    amplitude /= 2
    f *= 2
  }
  return sum / weight
}

export const smoothstep = (a: number, b: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)))
  return t * t * (3 - 2 * t)
}

export const fract = (x: number): number => x - Math.floor(x)
