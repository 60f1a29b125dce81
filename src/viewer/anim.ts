/**
 * The exact mode's file (`gavatar export --format anim`): the avatar's Gaussians predicted by the
 * full graph (stage 2's pose-dependent appearance included) for every frame of a motion, compact
 * and streamable. A container header (container.ts, no arrays) with
 *   kind "gavatar-anim", frames, fps, count (Gaussians), scaleDims (1: isotropic, 3), frameBytes,
 * then the frames back to back, each:
 *   centre 3 x f32 (the mean of the frame's positions), positions - centre 3N x f16 (half precision
 *   keeps 0.5 mm within a metre of the centre), scales scaleDims x N x f16, colours 3N x u8,
 *   opacities N x u8, zero padding to a multiple of 4.
 * Rotations are not stored: the avatar's Gaussians are isotropic (an anisotropic cloud is refused).
 */
import type { GaussianCloud } from "../io/splat/cloud.ts"
import { containerHeader, encodeContainer } from "./container.ts"
import { fromHalf, toHalf } from "./half.ts"

export interface AnimInfo {
  readonly kind: "gavatar-anim"
  readonly name: string
  readonly frames: number
  readonly fps: number
  readonly count: number
  readonly scaleDims: 1 | 3
  readonly frameBytes: number
}

export const animFrameBytes = (count: number, scaleDims: 1 | 3): number => Math.ceil((12 + 6 * count + 2 * scaleDims * count + 4 * count) / 4) * 4

export const isotropic = (cloud: GaussianCloud): boolean => {
  for (let i = 0; i < cloud.count; i++) {
    const [w, x, y, z] = [0, 1, 2, 3].map((k) => cloud.rotations[4 * i + k] as number) as [number, number, number, number]
    const [a, b, c] = [0, 1, 2].map((k) => cloud.scales[3 * i + k] as number) as [number, number, number]
    if (a !== b || b !== c || !(Math.abs(w) === 1 || (x === 0 && y === 0 && z === 0))) return false
  }
  return true
}

export const animHeader = (info: Omit<AnimInfo, "kind" | "frameBytes">): Uint8Array =>
  encodeContainer({ kind: "gavatar-anim", ...info, frameBytes: animFrameBytes(info.count, info.scaleDims) }, {})

const byte = (v: number) => Math.max(0, Math.min(255, Math.round(255 * v)))

/** One frame's bytes (the cloud must be isotropic when scaleDims is 1). */
export const animFrame = (cloud: GaussianCloud, scaleDims: 1 | 3): Uint8Array => {
  const n = cloud.count
  const bytes = new Uint8Array(animFrameBytes(n, scaleDims))
  const view = new DataView(bytes.buffer)
  const centre = [0, 1, 2].map((c) => {
    let sum = 0
    for (let i = 0; i < n; i++) sum += cloud.means[3 * i + c] as number
    return n > 0 ? sum / n : 0
  })
  centre.forEach((v, c) => view.setFloat32(4 * c, v, true))
  let at = 12
  for (let k = 0; k < 3 * n; k++, at += 2) view.setUint16(at, toHalf((cloud.means[k] as number) - (centre[k % 3] as number)), true)
  for (let i = 0; i < n; i++)
    for (let d = 0; d < scaleDims; d++, at += 2) view.setUint16(at, toHalf(cloud.scales[3 * i + d] as number), true)
  for (let k = 0; k < 3 * n; k++) bytes[at++] = byte(cloud.colours[k] as number)
  for (let i = 0; i < n; i++) bytes[at++] = byte(cloud.opacities[i] as number)
  return bytes
}

/** Frame `frame`'s Gaussians from a buffer holding at least that frame. */
export const decodeAnimFrame = (info: AnimInfo, bytes: Uint8Array, dataStart: number, frame: number) => {
  const n = info.count
  const base = dataStart + frame * info.frameBytes
  const view = new DataView(bytes.buffer, bytes.byteOffset + base, info.frameBytes)
  const centre = [0, 1, 2].map((c) => view.getFloat32(4 * c, true))
  const means = new Float32Array(3 * n)
  const scales = new Float32Array(3 * n)
  const colours = new Float32Array(3 * n)
  const opacities = new Float32Array(n)
  let at = 12
  for (let k = 0; k < 3 * n; k++, at += 2) means[k] = fromHalf(view.getUint16(at, true)) + (centre[k % 3] as number)
  for (let i = 0; i < n; i++)
    for (let d = 0; d < info.scaleDims; d++, at += 2) {
      const s = fromHalf(view.getUint16(at, true))
      if (info.scaleDims === 1) scales.fill(s, 3 * i, 3 * i + 3)
      else scales[3 * i + d] = s
    }
  for (let k = 0; k < 3 * n; k++) colours[k] = (bytes[base + at++] as number) / 255
  for (let i = 0; i < n; i++) opacities[i] = (bytes[base + at++] as number) / 255
  return { means, scales, colours, opacities }
}

/** The header of an anim file once `bytes` holds it. */
export const animInfo = (bytes: Uint8Array): { readonly info: AnimInfo; readonly dataStart: number } | undefined => {
  const found = containerHeader(bytes)
  return found === undefined ? undefined : { info: found.header as unknown as AnimInfo, dataStart: found.dataStart }
}
