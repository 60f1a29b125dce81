/**
 * The .splat layout many web splat viewers read: no header, 32 bytes per Gaussian,
 *   position 3 x float32, scale 3 x float32 (linear, the standard deviations),
 *   colour RGBA 4 x uint8 (alpha = the opacity), rotation 4 x uint8 (w, x, y, z: q / |q| * 128 + 128),
 * little-endian, largest first (sorted by scale_x * scale_y * scale_z * opacity, descending), so
 * that a viewer streaming the file shows the big Gaussians first.
 */
import type { GaussianCloud } from "./cloud.ts"

export const SPLAT_BYTES = 32

const toByte = (v: number): number => Math.max(0, Math.min(255, Math.round(v)))

/** Indices of the Gaussians, largest volume x opacity first (ties keep file order). */
const sizeOrder = (cloud: GaussianCloud): ReadonlyArray<number> => {
  const size = (i: number) => (cloud.scales[3 * i] as number) * (cloud.scales[3 * i + 1] as number) * (cloud.scales[3 * i + 2] as number) * (cloud.opacities[i] as number)
  return Array.from({ length: cloud.count }, (_, i) => i).sort((a, b) => size(b) - size(a) || a - b)
}

export const encodeSplat = (cloud: GaussianCloud): Uint8Array => {
  const bytes = new Uint8Array(SPLAT_BYTES * cloud.count)
  const view = new DataView(bytes.buffer)
  sizeOrder(cloud).forEach((i, row) => {
    const at = SPLAT_BYTES * row
    for (let k = 0; k < 3; k++) {
      view.setFloat32(at + 4 * k, cloud.means[3 * i + k] as number, true)
      view.setFloat32(at + 12 + 4 * k, cloud.scales[3 * i + k] as number, true)
      bytes[at + 24 + k] = toByte(255 * (cloud.colours[3 * i + k] as number))
    }
    bytes[at + 27] = toByte(255 * (cloud.opacities[i] as number))
    const q = [0, 1, 2, 3].map((k) => cloud.rotations[4 * i + k] as number)
    const norm = Math.hypot(...q) || 1
    q.forEach((v, k) => (bytes[at + 28 + k] = toByte((v / norm) * 128 + 128)))
  })
  return bytes
}
