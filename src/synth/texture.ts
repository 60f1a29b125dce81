/**
 * The person's texture: the procedural albedo (pattern.ts) baked into an
 * S x S image over the body's UV atlas, times a simple shading baked in from a
 * fixed light over the clothed rest body (so that the appearance turns with
 * the person, as GaussianAvatar's view-independent colours assume). Texels
 * outside every chart are filled from their neighbours for a few rings, so
 * bilinear lookups near seams do not pick up empty texels.
 * Texel (row i, column j) is centred at u = (j + 0.5) / S, v = (i + 0.5) / S (src/body/model.ts).
 */
import type { BodyModel } from "../body/model.ts"
import { materialAt } from "./garment.ts"
import { argmax } from "./mesh.ts"
import { albedo } from "./pattern.ts"
import { createTarget, rasterize } from "./raster.ts"

export interface Texture {
  readonly size: number
  /** [S*S*3] RGB in 0..1 */
  readonly rgb: Float32Array
}

const LIGHT = (() => {
  const l = [0.3, 0.8, 0.5]
  const n = Math.hypot(l[0]!, l[1]!, l[2]!)
  return l.map((x) => x / n) as [number, number, number]
})()
const AMBIENT = 0.55
const DILATE_RINGS = 4

/** Baked shading for a unit normal. */
export const bakedShade = (nx: number, ny: number, nz: number): number => AMBIENT + (1 - AMBIENT) * Math.max(0, nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2])

export interface BakeInput {
  readonly body: BodyModel
  /** [V, 3] where the pattern is laid out: the rest template. */
  readonly patternPositions: Float64Array
  /** [V, 3] normals of the clothed rest body, for the baked shading. */
  readonly normals: Float64Array
}

/**
 * Texels covered by the UV layout, with their face and barycentric weights: the
 * mesh rasteriser on the UV triangles, with texel centres at integer
 * coordinates (x = u S - 0.5, y = v S - 0.5) and constant depth.
 */
const uvCoverage = (body: BodyModel, size: number) => {
  const corners = body.uv.vt.length / 2
  const screen = new Float64Array(corners * 3)
  for (let t = 0; t < corners; t++) screen.set([body.uv.vt[2 * t]! * size - 0.5, body.uv.vt[2 * t + 1]! * size - 0.5, 1], 3 * t)
  const target = createTarget(size, size)
  rasterize(target, screen, body.uv.ft)
  return target
}

export const bakeTexture = (input: BakeInput, size: number): Texture => {
  const { body, patternPositions: pos, normals } = input
  const J = body.parents.length
  const rgb = new Float32Array(size * size * 3)
  const filled = new Uint8Array(size * size)
  const weights = new Float64Array(J)
  const coverage = uvCoverage(body, size)
  for (let texel = 0; texel < size * size; texel++) {
    const f = coverage.face[texel]!
    if (f < 0) continue
    const b0 = coverage.bary[3 * texel]!, b1 = coverage.bary[3 * texel + 1]!, b2 = coverage.bary[3 * texel + 2]!
    const v0 = body.faces[3 * f]!, v1 = body.faces[3 * f + 1]!, v2 = body.faces[3 * f + 2]!
    const at = (a: Float64Array, c: number) => b0 * a[3 * v0 + c]! + b1 * a[3 * v1 + c]! + b2 * a[3 * v2 + c]!
    for (let j = 0; j < J; j++) weights[j] = b0 * body.weights[v0 * J + j]! + b1 * body.weights[v1 * J + j]! + b2 * body.weights[v2 * J + j]!
    const joint = argmax(weights, 0, J)
    const x = at(pos, 0), y = at(pos, 1), z = at(pos, 2)
    const color = albedo(materialAt(joint, x, y, z), x, y, z, joint === 15)
    const nx = at(normals, 0), ny = at(normals, 1), nz = at(normals, 2)
    const length = Math.hypot(nx, ny, nz) || 1
    const shade = bakedShade(nx / length, ny / length, nz / length)
    for (let c = 0; c < 3; c++) rgb[3 * texel + c] = Math.min(1, color[c]! * shade)
    filled[texel] = 1
  }
  for (let ring = 0; ring < DILATE_RINGS; ring++) dilateOnce(rgb, filled, size)
  return { size, rgb }
}

/** Every empty texel with filled 8-neighbours takes their mean. */
const dilateOnce = (rgb: Float32Array, filled: Uint8Array, size: number): void => {
  const newly: number[] = []
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const t = i * size + j
      if (filled[t]) continue
      let n = 0, r = 0, g = 0, b = 0
      for (let di = -1; di <= 1; di++)
        for (let dj = -1; dj <= 1; dj++) {
          const ii = i + di, jj = j + dj
          if (ii < 0 || jj < 0 || ii >= size || jj >= size || !filled[ii * size + jj]) continue
          const s = ii * size + jj
          r += rgb[3 * s]!
          g += rgb[3 * s + 1]!
          b += rgb[3 * s + 2]!
          n++
        }
      if (n === 0) continue
      rgb[3 * t] = r / n
      rgb[3 * t + 1] = g / n
      rgb[3 * t + 2] = b / n
      newly.push(t)
    }
  for (const t of newly) filled[t] = 1
}

/** Bilinear lookup at (u, v) (clamped to the image) into out[at..at+2]. */
export const sampleTexture = (texture: Texture, u: number, v: number, out: Float32Array, at: number): void => {
  const s = texture.size
  const x = Math.min(s - 1, Math.max(0, u * s - 0.5))
  const y = Math.min(s - 1, Math.max(0, v * s - 0.5))
  const x0 = Math.floor(x), y0 = Math.floor(y)
  const x1 = Math.min(s - 1, x0 + 1), y1 = Math.min(s - 1, y0 + 1)
  const tx = x - x0, ty = y - y0
  const rgb = texture.rgb
  for (let c = 0; c < 3; c++) {
    const top = rgb[3 * (y0 * s + x0) + c]! * (1 - tx) + rgb[3 * (y0 * s + x1) + c]! * tx
    const bottom = rgb[3 * (y1 * s + x0) + c]! * (1 - tx) + rgb[3 * (y1 * s + x1) + c]! * tx
    out[at + c] = top * (1 - ty) + bottom * ty
  }
}
