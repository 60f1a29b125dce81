/**
 * The standard 3D Gaussian splatting .ply (the layout of the original 3DGS code's save_ply, which
 * most splat viewers and tools read): a text header, then binary little-endian float32 properties
 * per Gaussian, in this order:
 *   x y z, nx ny nz (zeros), f_dc_0..2, [f_rest_0..44], opacity, scale_0..2, rot_0..3
 * f_dc = (rgb - 0.5) / C0 (C0 = 0.28209479177387814, the degree-0 spherical harmonic), so a viewer
 * computing rgb = 0.5 + C0 f_dc gets the colour back; f_rest (degree 1 to 3, channel-major) are
 * zeros and written only on request, for tools that require degree 3; opacity is stored as a logit
 * (clamped to [2^-24, 1 - 2^-24] first, so that opacity 1 stays finite and sigmoid(logit) rounds
 * back to the float32 next to it); scales as natural logs; rot as a unit quaternion, w first.
 */
import type { GaussianCloud } from "./cloud.ts"

export const SH_C0 = 0.28209479177387814
const SH_REST = 45
const OPACITY_CLAMP = 2 ** -24

export interface PlyOptions {
  /** Write the 45 f_rest values (zeros). Default false. */
  readonly shRest: boolean
}

/** The property names, in file order. */
export const plyProperties = (options: PlyOptions): ReadonlyArray<string> => [
  "x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2",
  ...(options.shRest ? Array.from({ length: SH_REST }, (_, k) => `f_rest_${k}`) : []),
  "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"
]

const logit = (opacity: number): number => {
  const p = Math.min(1 - OPACITY_CLAMP, Math.max(OPACITY_CLAMP, opacity))
  return Math.log(p / (1 - p))
}

/** Gaussian i's values in property order (without f_rest, which are zeros). */
const rowOf = (cloud: GaussianCloud, i: number) => {
  const at = (a: Float32Array, width: number, k: number) => a[width * i + k] as number
  const q = [0, 1, 2, 3].map((k) => at(cloud.rotations, 4, k))
  const norm = Math.hypot(...q) || 1
  return {
    head: [at(cloud.means, 3, 0), at(cloud.means, 3, 1), at(cloud.means, 3, 2), 0, 0, 0, ...[0, 1, 2].map((k) => (at(cloud.colours, 3, k) - 0.5) / SH_C0)],
    tail: [logit(cloud.opacities[i] as number), ...[0, 1, 2].map((k) => Math.log(at(cloud.scales, 3, k))), ...q.map((v) => v / norm)]
  }
}

/** The whole .ply file. */
export const encodePly = (cloud: GaussianCloud, options: PlyOptions = { shRest: false }): Uint8Array => {
  const names = plyProperties(options)
  const header = ["ply", "format binary_little_endian 1.0", `element vertex ${cloud.count}`, ...names.map((n) => `property float ${n}`), "end_header", ""].join("\n")
  const headerBytes = new TextEncoder().encode(header)
  const bytes = new Uint8Array(headerBytes.length + 4 * names.length * cloud.count)
  bytes.set(headerBytes)
  const view = new DataView(bytes.buffer)
  let offset = headerBytes.length
  const put = (v: number) => {
    view.setFloat32(offset, v, true)
    offset += 4
  }
  for (let i = 0; i < cloud.count; i++) {
    const { head, tail } = rowOf(cloud, i)
    head.forEach(put)
    if (options.shRest) for (let k = 0; k < SH_REST; k++) put(0)
    tail.forEach(put)
  }
  return bytes
}
