/**
 * Renders a textured mesh through a camera onto a white background: the mesh
 * rasteriser at `supersample` x the resolution, a perspective-correct UV per
 * covered sample, a bilinear texture lookup, then a box filter down to the
 * camera's resolution. The mask is the covered fraction of each pixel's
 * samples (0..255); the image is colour over white by that fraction.
 */
import type { UvLayout } from "../body/model.ts"
import type { Image8 } from "../io/png.ts"
import { type Camera, supersampled, toScreen } from "./camera.ts"
import { clearTarget, createTarget, rasterize, type RasterTarget } from "./raster.ts"
import { sampleTexture, type Texture } from "./texture.ts"

export interface Frame8 {
  /** RGB */
  readonly image: Image8
  /** grey, 255 = fully covered */
  readonly mask: Image8
}

export interface TexturedMesh {
  /** [F, 3] */
  readonly faces: Uint32Array
  readonly uv: UvLayout
  readonly texture: Texture
}

/** Buffers reused from frame to frame for one camera size and supersampling factor. */
export interface Renderer {
  readonly supersample: number
  readonly target: RasterTarget
  readonly sample: Float32Array
}

export const createRenderer = (width: number, height: number, supersample: number): Renderer => ({
  supersample,
  target: createTarget(width * supersample, height * supersample),
  sample: new Float32Array(3)
})

/** Renders `vertices` [V, 3] (world) of `mesh` through `camera`. */
export const renderMesh = (renderer: Renderer, mesh: TexturedMesh, vertices: Float64Array, camera: Camera): Frame8 => {
  const s = renderer.supersample
  const target = renderer.target
  if (target.width !== camera.width * s || target.height !== camera.height * s) throw new RangeError(`renderer is ${target.width}x${target.height}, camera ${camera.width}x${camera.height} x ${s}`)
  clearTarget(target)
  rasterize(target, toScreen(supersampled(camera, s), vertices), mesh.faces)
  return resolve(renderer, mesh, camera.width, camera.height)
}

const resolve = (renderer: Renderer, mesh: TexturedMesh, width: number, height: number): Frame8 => {
  const { supersample: s, target, sample } = renderer
  const { vt, ft } = mesh.uv
  const image = new Uint8Array(width * height * 3)
  const mask = new Uint8Array(width * height)
  const perPixel = s * s
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0, covered = 0
      for (let dy = 0; dy < s; dy++)
        for (let dx = 0; dx < s; dx++) {
          const p = (y * s + dy) * target.width + x * s + dx
          const f = target.face[p]!
          if (f < 0) continue
          let u = 0, v = 0
          for (let k = 0; k < 3; k++) {
            const corner = ft[3 * f + k]!
            u += target.bary[3 * p + k]! * vt[2 * corner]!
            v += target.bary[3 * p + k]! * vt[2 * corner + 1]!
          }
          sampleTexture(mesh.texture, u, v, sample, 0)
          r += sample[0]!
          g += sample[1]!
          b += sample[2]!
          covered++
        }
      const white = perPixel - covered
      const at = y * width + x
      image[3 * at] = Math.round((255 * (r + white)) / perPixel)
      image[3 * at + 1] = Math.round((255 * (g + white)) / perPixel)
      image[3 * at + 2] = Math.round((255 * (b + white)) / perPixel)
      mask[at] = Math.round((255 * covered) / perPixel)
    }
  return { image: { width, height, channels: 3, data: image }, mask: { width, height, channels: 1, data: mask } }
}
